/* balise-test-server-faults.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fault injection: the request handlers of SoupServer, which answer an
 * injected status, drop the connection before processing, after the commit
 * or in the middle of the request body, or delay the answer. Also the
 * /__test__/ endpoints that set faults over HTTP.
 */

#define G_LOG_DOMAIN "balise-test-server"

#include <string.h>

#include "balise-test-server-private.h"

typedef struct
{
  char            *method;
  GPatternSpec    *pattern;
  BaliseTestFault  fault;
  guint            param;
  guint            count;
} Fault;

/* What the early handler decided for one request. */
typedef struct
{
  BaliseTestFault fault;
  guint           param;
  gsize           received;
  gboolean        dropped;
} RequestFault;

typedef struct
{
  BaliseTestServer  *self;
  SoupServerMessage *msg;
  char              *path;
  GHashTable        *query;
} DelayedRequest;

void
_bts_fault_free (gpointer data)
{
  Fault *fault = data;

  g_free (fault->method);
  g_pattern_spec_free (fault->pattern);
  g_free (fault);
}

static void
delayed_request_free (gpointer data)
{
  DelayedRequest *request = data;

  g_object_unref (request->msg);
  g_free (request->path);
  g_clear_pointer (&request->query, g_hash_table_unref);
  g_free (request);
}

/*
 * Test-only endpoints: fault injection over HTTP
 */

static gboolean
parse_fault_name (const char      *name,
                  BaliseTestFault *fault)
{
  static const struct { const char *name; BaliseTestFault fault; } names[] = {
    { "none", BALISE_TEST_FAULT_NONE },
    { "status", BALISE_TEST_FAULT_STATUS },
    { "drop-before", BALISE_TEST_FAULT_DROP_BEFORE },
    { "drop-after-commit", BALISE_TEST_FAULT_DROP_AFTER_COMMIT },
    { "drop-mid-request", BALISE_TEST_FAULT_DROP_MID_REQUEST },
    { "delay", BALISE_TEST_FAULT_DELAY },
    { "close-changeset", BALISE_TEST_FAULT_CLOSE_CHANGESET },
  };

  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (names); i++)
    {
      if (strcmp (name, names[i].name) == 0)
        {
          *fault = names[i].fault;
          return TRUE;
        }
    }

  return FALSE;
}

void
_bts_handle_test_endpoint (BaliseTestServer  *self,
                           SoupServerMessage *msg,
                           const char        *method,
                           const char        *path,
                           GHashTable        *query)
{
  if (strcmp (path, "/__test__/clear") == 0 && strcmp (method, "POST") == 0)
    {
      balise_test_server_clear_faults (self);
      _bts_reply_text (msg, "");
    }
  else if (strcmp (path, "/__test__/fault") == 0 && strcmp (method, "POST") == 0)
    {
      const char *fault_path = query ? g_hash_table_lookup (query, "path") : NULL;
      const char *fault_method = query ? g_hash_table_lookup (query, "method") : NULL;
      const char *param = query ? g_hash_table_lookup (query, "param") : NULL;
      const char *count = query ? g_hash_table_lookup (query, "count") : NULL;
      BaliseTestFault fault;
      guint64 param_value = 0;
      guint64 count_value = 1;

      if (fault_path == NULL || !parse_fault_name (query ? g_hash_table_lookup (query, "fault") : NULL, &fault) ||
          (param != NULL && *param != '\0' && !g_ascii_string_to_unsigned (param, 10, 0, G_MAXUINT, &param_value, NULL)) ||
          (count != NULL && *count != '\0' && !g_ascii_string_to_unsigned (count, 10, 0, G_MAXUINT, &count_value, NULL)))
        {
          _bts_reply_error (msg, SOUP_STATUS_BAD_REQUEST,
                            "Usage: /__test__/fault?method=&path=&fault=status|drop-before|drop-after-commit|"
                            "drop-mid-request|delay|close-changeset&param=&count=");
          return;
        }

      balise_test_server_add_fault (self, (fault_method && *fault_method) ? fault_method : NULL,
                                    fault_path, fault, param_value, count_value);
      _bts_reply_text (msg, "");
    }
  else if (strcmp (path, "/__test__/query") == 0)
    {
      const char *sql = query ? g_hash_table_lookup (query, "sql") : NULL;
      g_autoptr(sqlite3_stmt) stmt = NULL;
      g_autofree char *text = NULL;

      if (sql == NULL || sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK ||
          !sqlite3_stmt_readonly (stmt) || sqlite3_step (stmt) != SQLITE_ROW)
        {
          _bts_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "A read-only query returning one row is required");
          return;
        }
      text = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (stmt, 0));
      _bts_reply_text (msg, text);
    }
  else
    {
      _bts_reply_empty (msg, SOUP_STATUS_NOT_FOUND);
    }
}

/*
 * Fault injection
 */

static gboolean
drop_connection_cb (gpointer data)
{
  SoupServerMessage *msg = data;
  GIOStream *stream;

  /* Stealing detaches the connection from the server, which then never
   * writes a response; closing the stream closes the TCP connection. */
  stream = soup_server_message_steal_connection (msg);
  if (stream != NULL)
    {
      g_io_stream_close (stream, NULL, NULL);
      g_object_unref (stream);
    }

  return G_SOURCE_REMOVE;
}

/* Must be called from the handler: the message is paused, and dropped from
 * an idle callback once the handler has returned to SoupServer. */
static void
drop_connection (BaliseTestServer  *self,
                 SoupServerMessage *msg)
{
  g_autoptr(GSource) source = g_idle_source_new ();

  soup_server_message_pause (msg);
  g_source_set_callback (source, drop_connection_cb, g_object_ref (msg), g_object_unref);
  g_source_attach (source, self->context);
}

static void
got_chunk_cb (SoupServerMessage *msg,
              GBytes            *chunk,
              gpointer           user_data)
{
  RequestFault *request_fault = user_data;
  GSocket *socket;

  if (request_fault->dropped)
    return;

  request_fault->received += g_bytes_get_size (chunk);
  if (request_fault->received < request_fault->param)
    return;

  /* We are inside SoupServer's body reader, where the connection cannot be
   * stolen: shut the socket down instead, so the read fails, SoupServer
   * aborts the request (the handler never runs) and the client sees the
   * connection close without an answer. SoupServer reads the body in blocks,
   * so the cut happens at the end of the block that reached @param bytes. */
  request_fault->dropped = TRUE;
  g_debug ("Dropping the connection after %" G_GSIZE_FORMAT " bytes of the body", request_fault->received);
  socket = soup_server_message_get_socket (msg);
  if (socket != NULL)
    g_socket_shutdown (socket, TRUE, TRUE, NULL);
}

static gboolean
take_fault (BaliseTestServer *self,
            const char       *method,
            const char       *path,
            BaliseTestFault  *fault,
            guint            *param)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->fault_mutex);

  for (guint i = 0; i < self->faults->len; i++)
    {
      Fault *f = g_ptr_array_index (self->faults, i);

      if (f->method != NULL && g_ascii_strcasecmp (f->method, method) != 0)
        continue;
      if (!g_pattern_spec_match_string (f->pattern, path))
        continue;

      *fault = f->fault;
      *param = f->param;
      if (--f->count == 0)
        g_ptr_array_remove_index (self->faults, i);
      return TRUE;
    }

  return FALSE;
}

/* Runs once the headers are read, before the body. */
void
_bts_early_handler_cb (SoupServer        *server,
                       SoupServerMessage *msg,
                       const char        *path,
                       GHashTable        *query,
                       gpointer           user_data)
{
  BaliseTestServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  BaliseTestFault fault;
  guint param;

  g_atomic_int_inc (&self->request_count);

  if (g_str_has_prefix (path, "/__test__/"))
    return;

  if (take_fault (self, soup_server_message_get_method (msg), path, &fault, &param))
    {
      RequestFault *request_fault = g_new0 (RequestFault, 1);

      request_fault->fault = fault;
      request_fault->param = param;
      g_object_set_data_full (G_OBJECT (msg), "balise-fault", request_fault, g_free);

      if (fault == BALISE_TEST_FAULT_DROP_MID_REQUEST)
        g_signal_connect (msg, "got-chunk", G_CALLBACK (got_chunk_cb), request_fault);
    }

  /* Setting a status here makes SoupServer skip reading the body. */
  if (soup_message_headers_get_content_length (headers) > MAX_BODY_SIZE)
    _bts_reply_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "Payload too large");
}

static gboolean
delayed_request_cb (gpointer data)
{
  DelayedRequest *request = data;

  _bts_dispatch (request->self, request->msg, request->path, request->query);
  soup_server_message_unpause (request->msg);

  return G_SOURCE_REMOVE;
}

void
_bts_handler_cb (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  BaliseTestServer *self = user_data;
  RequestFault *request_fault = g_object_get_data (G_OBJECT (msg), "balise-fault");
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  if (body != NULL && body->length > MAX_BODY_SIZE)
    {
      _bts_reply_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "Payload too large");
      return;
    }

  if (body != NULL && body->length > 0)
    {
      g_mutex_lock (&self->body_mutex);
      if (self->bodies != NULL)
        {
          g_autoptr(GBytes) flat = soup_message_body_flatten (body);

          g_byte_array_append (self->bodies, g_bytes_get_data (flat, NULL), g_bytes_get_size (flat));
        }
      g_mutex_unlock (&self->body_mutex);
    }

  if (request_fault == NULL)
    {
      _bts_dispatch (self, msg, path, query);
      return;
    }

  switch (request_fault->fault)
    {
    case BALISE_TEST_FAULT_STATUS:
      {
        guint status = request_fault->param != 0 ? request_fault->param : 500;
        const char *message;

        switch (status)
          {
          case 429:
            message = "Rate limit exceeded";
            break;
          case 509:
            message = "You have downloaded too much data. Please try again in 1 seconds.";
            break;
          case 503:
            message = "Database offline for maintenance";
            break;
          default:
            message = soup_status_get_phrase (status);
            if (message == NULL || *message == '\0')
              message = "Injected fault";
          }
        _bts_reply_error (msg, status, message);
      }
      break;

    case BALISE_TEST_FAULT_DROP_BEFORE:
    case BALISE_TEST_FAULT_DROP_MID_REQUEST:
      /* DROP_MID_REQUEST lands here when the whole body arrived in fewer
       * bytes than asked, or in one block: drop it unprocessed anyway. */
      g_debug ("Dropping the connection before processing %s", path);
      drop_connection (self, msg);
      break;

    case BALISE_TEST_FAULT_DROP_AFTER_COMMIT:
      _bts_dispatch (self, msg, path, query);
      drop_connection (self, msg);
      break;

    case BALISE_TEST_FAULT_DELAY:
      {
        DelayedRequest *request = g_new0 (DelayedRequest, 1);
        g_autoptr(GSource) source = g_timeout_source_new (request_fault->param);

        request->self = self;
        request->msg = g_object_ref (msg);
        request->path = g_strdup (path);
        request->query = query != NULL ? g_hash_table_ref (query) : NULL;
        soup_server_message_pause (msg);
        g_source_set_callback (source, delayed_request_cb, request, delayed_request_free);
        g_source_attach (source, self->context);
      }
      break;

    case BALISE_TEST_FAULT_CLOSE_CHANGESET:
      {
        g_auto(GStrv) parts = g_strsplit (path, "/", -1);
        g_autoptr(sqlite3_stmt) close = NULL;
        gint64 id;

        /* /api/0.6/changeset/ID/...: expired an hour after its last change. */
        if (g_strv_length (parts) >= 5 && strcmp (parts[3], "changeset") == 0 &&
            g_ascii_string_to_signed (parts[4], 10, 1, G_MAXINT64, &id, NULL))
          {
            close = _bts_prepare (self, "UPDATE changeset SET closed_at = ? WHERE id = ? AND closed_at IS NULL");
            sqlite3_bind_int64 (close, 1, g_get_real_time () / G_USEC_PER_SEC);
            sqlite3_bind_int64 (close, 2, id);
            sqlite3_step (close);
          }
        _bts_dispatch (self, msg, path, query);
      }
      break;

    case BALISE_TEST_FAULT_NONE:
    default:
      _bts_dispatch (self, msg, path, query);
      break;
    }
}

/**
 * balise_test_server_add_fault:
 * @method: (nullable): the HTTP method to match, or %NULL for any
 * @path_glob: a #GPatternSpec glob on the path, like "/api/0.6/changeset/\*\/upload"
 * @count: how many matching requests get the fault
 *
 * Faults are matched in the order they were added.
 */
void
balise_test_server_add_fault (BaliseTestServer *self,
                              const char       *method,
                              const char       *path_glob,
                              BaliseTestFault   fault,
                              guint             param,
                              guint             count)
{
  Fault *f;

  g_return_if_fail (BALISE_IS_TEST_SERVER (self));
  g_return_if_fail (path_glob != NULL);

  if (count == 0)
    return;

  f = g_new0 (Fault, 1);
  f->method = g_strdup (method);
  f->pattern = g_pattern_spec_new (path_glob);
  f->fault = fault;
  f->param = param;
  f->count = count;

  g_mutex_lock (&self->fault_mutex);
  g_ptr_array_add (self->faults, f);
  g_mutex_unlock (&self->fault_mutex);
}

void
balise_test_server_clear_faults (BaliseTestServer *self)
{
  g_return_if_fail (BALISE_IS_TEST_SERVER (self));

  g_mutex_lock (&self->fault_mutex);
  g_ptr_array_set_size (self->faults, 0);
  g_mutex_unlock (&self->fault_mutex);
}
