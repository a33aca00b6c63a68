/* balise-store.c: the local SpatiaLite database
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <time.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <spatialite.h>

#include "balise-store-private.h"
#include "balise-text.h"
#include "balise-store-schema.h"

/* One writer connection, used by one thread at a time: the store's writer
 * thread for async writes (a pool of exactly one thread, so jobs run in the
 * order they were queued), or the caller's thread for the synchronous API.
 * One read-only connection for the thread that opened the store (the map's
 * viewport reads). WAL lets the reader run beside the writer. */
struct _BaliseStore
{
  GObject       parent_instance;

  char         *path;
  GMainContext *context;        /* of the thread that opened the store */

  GMutex        write_lock;
  sqlite3      *write_db;
  void         *write_cache;    /* spatialite connection cache */
  GThreadPool  *writer;

  sqlite3      *read_db;
  void         *read_cache;

  /* Searches, off the main thread: one at a time, on their own connection. */
  GMutex        search_lock;
  sqlite3      *search_db;
  void         *search_cache;

  int           schema_version;
};

G_DEFINE_FINAL_TYPE (BaliseStore, balise_store, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Set on the writer thread while it runs a job of that store. */
static GPrivate running_writer;

typedef struct
{
  BaliseStoreWriteFunc func;
  gpointer             data;
  GDestroyNotify       data_free;
} WriteJob;

static void
write_job_free (WriteJob *job)
{
  if (job->data_free != NULL)
    job->data_free (job->data);
  g_free (job);
}

static void
spatialite_initialize_once (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      spatialite_initialize ();
      g_once_init_leave (&initialized, 1);
    }
}

/*
 * Helpers shared by the store's files
 */

void
_balise_store_set_error (GError     **error,
                         sqlite3     *db,
                         const char  *what)
{
  int code = sqlite3_extended_errcode (db);
  int primary = code & 0xff;
  BaliseStoreError store_code = BALISE_STORE_ERROR_FAILED;

  if (primary == SQLITE_FULL)
    store_code = BALISE_STORE_ERROR_FULL;
  else if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB)
    store_code = BALISE_STORE_ERROR_CORRUPT;

  if (primary == SQLITE_FULL)
    g_set_error (error, BALISE_STORE_ERROR, store_code,
                 "%s: the disk is full; nothing was written", what);
  else
    g_set_error (error, BALISE_STORE_ERROR, store_code,
                 "%s: %s", what, sqlite3_errmsg (db));
}

gboolean
_balise_store_exec (sqlite3     *db,
                    const char  *sql,
                    GError     **error)
{
  g_autoptr(sqlite_str) message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      int primary = sqlite3_extended_errcode (db) & 0xff;

      g_set_error (error, BALISE_STORE_ERROR,
                   primary == SQLITE_FULL ? BALISE_STORE_ERROR_FULL :
                   (primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT) ?
                     BALISE_STORE_ERROR_CORRUPT : BALISE_STORE_ERROR_FAILED,
                   "%s", message ? message : sqlite3_errmsg (db));
      return FALSE;
    }
  return TRUE;
}

gboolean
_balise_store_prepare (sqlite3       *db,
                       const char    *sql,
                       sqlite3_stmt **stmt,
                       GError       **error)
{
  if (sqlite3_prepare_v2 (db, sql, -1, stmt, NULL) != SQLITE_OK)
    {
      _balise_store_set_error (error, db, "Could not prepare a query");
      return FALSE;
    }
  return TRUE;
}

char *
_balise_store_now_iso8601 (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

static int
query_int (sqlite3    *db,
           const char *sql,
           GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!_balise_store_prepare (db, sql, &stmt, error))
    return -1;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _balise_store_set_error (error, db, "Could not read the database");
      return -1;
    }
  return sqlite3_column_int (stmt, 0);
}

/*
 * Opening
 */

/* balise_fold (text): balise_text_fold() in SQL, for searches. */
static void
sql_fold (sqlite3_context  *context,
          int               argc,
          sqlite3_value   **argv)
{
  const char *text = (const char *) sqlite3_value_text (argv[0]);

  if (text == NULL)
    sqlite3_result_null (context);
  else
    sqlite3_result_text (context, balise_text_fold (text), -1, g_free);
}

static gboolean
open_connection (const char  *path,
                 int          flags,
                 sqlite3    **db_out,
                 void       **cache_out,
                 GError     **error)
{
  sqlite3 *db = NULL;

  /* The writer connection is only ever used under write_lock: it needs no
   * mutex of its own. */
  if ((flags & SQLITE_OPEN_NOMUTEX) == 0)
    flags |= SQLITE_OPEN_FULLMUTEX;
  if (sqlite3_open_v2 (path, &db, flags, NULL) != SQLITE_OK)
    {
      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_FAILED,
                   "Could not open “%s”: %s", path,
                   db ? sqlite3_errmsg (db) : "out of memory");
      sqlite3_close (db);
      return FALSE;
    }

  sqlite3_extended_result_codes (db, 1);
  sqlite3_busy_timeout (db, 10000);
  sqlite3_create_function (db, "balise_fold", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                           NULL, sql_fold, NULL, NULL);

  *cache_out = spatialite_alloc_connection ();
  spatialite_init_ex (db, *cache_out, 0);
  *db_out = db;
  return TRUE;
}

static void
close_connection (sqlite3 **db,
                  void    **cache)
{
  if (*db != NULL)
    {
      sqlite3_close (*db);
      *db = NULL;
    }
  if (*cache != NULL)
    {
      spatialite_cleanup_ex (*cache);
      *cache = NULL;
    }
}

/* Creates the file 0600 if it does not exist: the journal holds the names
 * of volunteers. SQLite gives its -wal and -shm files the same mode. */
static gboolean
create_private_file (const char  *path,
                     GError     **error)
{
  int fd;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;

  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, BALISE_STORE_ERROR,
                   saved_errno == ENOSPC ? BALISE_STORE_ERROR_FULL : BALISE_STORE_ERROR_FAILED,
                   "Could not create “%s”: %s", path, g_strerror (saved_errno));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

static gboolean
balise_store_open_writer (BaliseStore  *self,
                          GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  int version;
  int application_id;

  if (!create_private_file (self->path, error))
    return FALSE;

  if (!open_connection (self->path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        &self->write_db, &self->write_cache, error))
    return FALSE;

  /* Read before anything writes: a database from a newer Balise, or a file
   * that is not ours, is left exactly as it is. */
  version = query_int (self->write_db, "PRAGMA user_version", &local_error);
  if (version < 0)
    {
      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_CORRUPT,
                   "“%s” is not a Balise database (%s)", self->path, local_error->message);
      return FALSE;
    }
  application_id = query_int (self->write_db, "PRAGMA application_id", error);
  if (application_id < 0)
    return FALSE;

  if (version > 0 && application_id != BALISE_STORE_APPLICATION_ID)
    {
      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_CORRUPT,
                   "“%s” is an SQLite database, but not a Balise database", self->path);
      return FALSE;
    }
  if (version == 0 && query_int (self->write_db,
                                 "SELECT count(*) FROM sqlite_master", error) > 0)
    {
      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_CORRUPT,
                   "“%s” already holds tables but is not a Balise database", self->path);
      return FALSE;
    }
  if (version > BALISE_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_TOO_NEW,
                   "“%s” was written by a newer version of Balise (database version %d; "
                   "this version reads up to %d). Update Balise to open it; "
                   "the file was not changed.",
                   self->path, version, BALISE_STORE_SCHEMA_VERSION);
      return FALSE;
    }

  /* A new file gets 16 kB pages, set before its first table (a WAL
   * database keeps the size it was made with): an import writes each page
   * twice, to the WAL and from there to the file, a system call each time,
   * and a quarter of the pages is a quarter of the calls (bench file: the
   * commit 0.50 s of CPU down to 0.30 s, the file 4 % smaller). The R*Tree
   * nodes keep their size: SQLite caps them at 51 cells. */
  if (version == 0 && !_balise_store_exec (self->write_db, "PRAGMA page_size = 16384", error))
    return FALSE;
  if (!_balise_store_exec (self->write_db,
                           "PRAGMA journal_mode = WAL;"
                           "PRAGMA synchronous = NORMAL;"
                           "PRAGMA foreign_keys = ON;",
                           error))
    return FALSE;

  if (version < BALISE_STORE_SCHEMA_VERSION)
    {
      if (!_balise_store_exec (self->write_db, "BEGIN IMMEDIATE", error))
        return FALSE;
      if (!_balise_store_migrate (self->write_db, version, error))
        {
          _balise_store_exec (self->write_db, "ROLLBACK", NULL);
          return FALSE;
        }
      if (!_balise_store_exec (self->write_db, "COMMIT", error))
        {
          _balise_store_exec (self->write_db, "ROLLBACK", NULL);
          return FALSE;
        }
    }

  self->schema_version = BALISE_STORE_SCHEMA_VERSION;
  return TRUE;
}

static void
run_write_job (gpointer data,
               gpointer user_data)
{
  GTask *task = data;
  BaliseStore *self = user_data;
  WriteJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  g_private_set (&running_writer, self);

  if (g_task_return_error_if_cancelled (task))
    ;
  else if (_balise_store_write (self, job->func, job->data, g_task_get_cancellable (task), &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));

  /* This may drop the last reference to the store. */
  g_object_unref (task);
  g_private_set (&running_writer, NULL);
}

static BaliseStore *
balise_store_new_for_path (const char *path)
{
  BaliseStore *self = g_object_new (BALISE_TYPE_STORE, NULL);

  self->path = g_strdup (path);
  return self;
}

static gboolean
balise_store_initialize (BaliseStore  *self,
                         GError      **error)
{
  if (!balise_store_open_writer (self, error))
    return FALSE;

  if (!open_connection (self->path, SQLITE_OPEN_READONLY,
                        &self->read_db, &self->read_cache, error))
    return FALSE;

  self->writer = g_thread_pool_new (run_write_job, self, 1, FALSE, error);
  return self->writer != NULL;
}

/*
 * GObject
 */

static void
balise_store_finalize (GObject *object)
{
  BaliseStore *self = (BaliseStore *)object;

  /* Every queued job holds a reference to its task, whose source object is
   * the store, so no job is waiting here. The last reference may be dropped
   * by the writer thread itself, which must not wait for itself. */
  if (self->writer != NULL)
    g_thread_pool_free (self->writer, FALSE, g_private_get (&running_writer) != self);

  if (self->write_db != NULL)
    _balise_store_exec (self->write_db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL);

  close_connection (&self->search_db, &self->search_cache);
  close_connection (&self->read_db, &self->read_cache);
  close_connection (&self->write_db, &self->write_cache);
  g_mutex_clear (&self->search_lock);
  g_mutex_clear (&self->write_lock);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->path);

  G_OBJECT_CLASS (balise_store_parent_class)->finalize (object);
}

static void
balise_store_class_init (BaliseStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = balise_store_finalize;

  /* SQLite counts every allocation under a global mutex unless told not
   * to; Balise never reads those counts. Only possible before SQLite is
   * first used in the process, so it may be too late (in the app, the
   * map's tile cache may have used SQLite already): then nothing changes. */
  sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0);

  /**
   * BaliseStore::changed:
   *
   * The journal or the base data changed. Emitted in the main context of
   * the thread that opened the store, after the change was committed.
   */
  signals[CHANGED] = g_signal_new ("changed",
                                   G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
}

static void
balise_store_init (BaliseStore *self)
{
  g_mutex_init (&self->write_lock);
  g_mutex_init (&self->search_lock);
  self->context = g_main_context_ref_thread_default ();
  spatialite_initialize_once ();
}

/*
 * Writing
 */

static gboolean
emit_changed_idle (gpointer user_data)
{
  g_signal_emit (user_data, signals[CHANGED], 0);
  return G_SOURCE_REMOVE;
}

/* Calls the handlers at once when the caller runs in the store's context
 * (the CLI, a test), or queues them there from the writer thread. */
static void
notify_changed (BaliseStore *self)
{
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, emit_changed_idle,
                              g_object_ref (self), g_object_unref);
}

/* The CPU time of the calling thread, for the timings of the debug log:
 * other processes on the machine do not count in it, as they do in the
 * wall-clock time. */
double
_balise_thread_cpu_seconds (void)
{
  struct timespec ts;

  if (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
    return 0;
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

gboolean
_balise_store_write (BaliseStore           *self,
                     BaliseStoreWriteFunc   func,
                     gpointer               data,
                     GCancellable          *cancellable,
                     GError               **error)
{
  gboolean ok;

  g_assert (BALISE_IS_STORE (self));
  g_assert (func != NULL);

  g_mutex_lock (&self->write_lock);

  ok = _balise_store_exec (self->write_db, "BEGIN IMMEDIATE", error);
  if (ok)
    {
      ok = func (self, self->write_db, data, cancellable, error);
      if (ok && g_cancellable_set_error_if_cancelled (cancellable, error))
        ok = FALSE;
      if (ok)
        {
          gint64 start = g_get_monotonic_time ();
          double cpu = _balise_thread_cpu_seconds ();

          ok = _balise_store_exec (self->write_db, "COMMIT", error);
          if (g_get_monotonic_time () - start > G_USEC_PER_SEC / 10)
            g_debug ("Committed in %.2f s (%.2f s CPU)", (g_get_monotonic_time () - start) / 1e6,
                     _balise_thread_cpu_seconds () - cpu);
        }
      if (!ok)
        _balise_store_exec (self->write_db, "ROLLBACK", NULL);
    }

  g_mutex_unlock (&self->write_lock);

  if (ok)
    notify_changed (self);

  return ok;
}

void
_balise_store_write_async (BaliseStore           *self,
                           BaliseStoreWriteFunc   func,
                           gpointer               data,
                           GDestroyNotify         data_free,
                           GCancellable          *cancellable,
                           GAsyncReadyCallback    callback,
                           gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  WriteJob *job;

  g_assert (BALISE_IS_STORE (self));

  job = g_new0 (WriteJob, 1);
  job->func = func;
  job->data = data;
  job->data_free = data_free;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, _balise_store_write_async);
  g_task_set_task_data (task, job, (GDestroyNotify) write_job_free);
  g_thread_pool_push (self->writer, g_steal_pointer (&task), NULL);
}

gboolean
_balise_store_write_finish (BaliseStore   *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_assert (BALISE_IS_STORE (self));
  g_assert (g_task_is_valid (result, self));

  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  BaliseStore *store;
  sqlite3     *db;
  void        *cache;
} ThreadReads;

static GPrivate thread_reads;

sqlite3 *
_balise_store_get_read_db (BaliseStore *self)
{
  ThreadReads *reads = g_private_get (&thread_reads);

  g_assert (BALISE_IS_STORE (self));

  if (reads != NULL && reads->store == self)
    return reads->db;
  return self->read_db;
}

gboolean
_balise_store_begin_thread_reads (BaliseStore  *self,
                                  GError      **error)
{
  ThreadReads *reads;

  g_assert (BALISE_IS_STORE (self));
  g_return_val_if_fail (g_private_get (&thread_reads) == NULL, FALSE);

  reads = g_new0 (ThreadReads, 1);
  if (!open_connection (self->path, SQLITE_OPEN_READONLY, &reads->db, &reads->cache, error))
    {
      g_free (reads);
      return FALSE;
    }
  reads->store = self;
  g_private_set (&thread_reads, reads);
  return TRUE;
}

void
_balise_store_end_thread_reads (BaliseStore *self)
{
  ThreadReads *reads = g_private_get (&thread_reads);

  g_assert (BALISE_IS_STORE (self));
  g_return_if_fail (reads != NULL && reads->store == self);

  g_private_set (&thread_reads, NULL);
  close_connection (&reads->db, &reads->cache);
  g_free (reads);
}

sqlite3 *
_balise_store_lock_search_db (BaliseStore  *self,
                              GError      **error)
{
  g_assert (BALISE_IS_STORE (self));

  g_mutex_lock (&self->search_lock);
  if (self->search_db == NULL)
    {
      g_autoptr(GError) local_error = NULL;

      if (!open_connection (self->path, SQLITE_OPEN_READONLY,
                            &self->search_db, &self->search_cache, error))
        {
          g_mutex_unlock (&self->search_lock);
          return NULL;
        }
      /* Searches and the dashboard read every feature: through a memory
       * map, not pread() into the small default cache. */
      if (!_balise_store_exec (self->search_db, "PRAGMA mmap_size = 1073741824;", &local_error))
        g_debug ("Could not map the store for searches: %s", local_error->message);
    }
  return self->search_db;
}

void
_balise_store_unlock_search_db (BaliseStore *self)
{
  g_assert (BALISE_IS_STORE (self));

  g_mutex_unlock (&self->search_lock);
}

/* Stops a statement once its cancellable is cancelled. */
static int
search_read_progress_cb (void *user_data)
{
  return g_cancellable_is_cancelled (user_data) ? 1 : 0;
}

void
_balise_store_task_search_read (BaliseStore          *self,
                                GTask                *task,
                                BaliseSearchReadFunc  read,
                                gpointer              data,
                                GDestroyNotify        free_result)
{
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GError) error = NULL;
  gpointer result;
  sqlite3 *db;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (!(db = _balise_store_lock_search_db (self, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (cancellable != NULL)
    sqlite3_progress_handler (db, 1000, search_read_progress_cb, cancellable);
  result = read (self, db, data, cancellable, &error);
  sqlite3_progress_handler (db, 0, NULL, NULL);
  _balise_store_unlock_search_db (self);

  if (g_task_return_error_if_cancelled (task))
    g_clear_pointer (&result, free_result);
  else if (result == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, result, free_result);
}

/*
 * Public API
 */

/**
 * balise_store_open:
 * @path: the database file; created 0600 when it does not exist
 *
 * Opens a Balise database, upgrading its schema in one transaction. A file
 * written by a newer Balise is refused with %BALISE_STORE_ERROR_TOO_NEW and
 * left untouched.
 */
BaliseStore *
balise_store_open (const char  *path,
                   GError     **error)
{
  g_autoptr(BaliseStore) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = balise_store_new_for_path (path);
  if (!balise_store_initialize (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

static void
open_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  BaliseStore *self = task_data;
  g_autoptr(GError) error = NULL;

  if (balise_store_initialize (self, &error))
    g_task_return_pointer (task, g_object_ref (self), g_object_unref);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

void
balise_store_open_async (const char          *path,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (path != NULL);

  /* Created here so that "changed" is emitted in the caller's context. */
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, balise_store_open_async);
  g_task_set_task_data (task, balise_store_new_for_path (path), g_object_unref);
  g_task_run_in_thread (task, open_in_thread);
}

BaliseStore *
balise_store_open_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
balise_store_get_path (BaliseStore *self)
{
  g_return_val_if_fail (BALISE_IS_STORE (self), NULL);
  return self->path;
}

int
balise_store_get_schema_version (BaliseStore *self)
{
  g_return_val_if_fail (BALISE_IS_STORE (self), 0);
  return self->schema_version;
}

/* Drops the triggers or the (explicitly created) indexes of the element
 * table, returning the SQL that creates them again: bulk writers put them
 * back, in the same transaction, once their rows are in. */
gboolean
_balise_store_save_and_drop (sqlite3     *db,
                             const char  *type,
                             GPtrArray  **sql_out,
                             GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) sql = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  int rc;

  if (!_balise_store_prepare (db,
                              "SELECT name, sql FROM sqlite_master "
                              "WHERE type = ? AND tbl_name = 'element' AND sql IS NOT NULL",
                              &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, type, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (names, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      g_ptr_array_add (sql, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
    }
  if (rc != SQLITE_DONE)
    {
      _balise_store_set_error (error, db, "Could not read the schema");
      return FALSE;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  for (guint i = 0; i < names->len; i++)
    {
      g_autoptr(sqlite_str) drop = sqlite3_mprintf ("DROP %s \"%w\"", type,
                                                    (const char *) g_ptr_array_index (names, i));

      if (!_balise_store_exec (db, drop, error))
        return FALSE;
    }

  *sql_out = g_steal_pointer (&sql);
  return TRUE;
}

gboolean
_balise_store_exec_all (sqlite3    *db,
                        GPtrArray  *sql,
                        GError    **error)
{
  for (guint i = 0; sql != NULL && i < sql->len; i++)
    if (!_balise_store_exec (db, g_ptr_array_index (sql, i), error))
      return FALSE;
  return TRUE;
}
