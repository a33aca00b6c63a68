/* test-sync-matrix.c: every step × every kind of change × every fault,
 * then a normal sync: the server holds exactly what was meant, 0 lost,
 * 0 duplicated. Over real HTTP, one test server for the whole matrix.
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#undef G_DISABLE_ASSERT

#include "balise-store-notes.h"
#include "sync-fixture.h"

typedef enum { STEP_CAPABILITIES, STEP_CREATE_CHANGESET, STEP_WAYS, STEP_UPLOAD, STEP_CLOSE, STEP_NOTE, N_STEPS } Step;
typedef enum { KIND_CREATE, KIND_MODIFY, KIND_DELETE, KIND_NOTE, KIND_WAY_MODIFY, N_KINDS } Kind;
typedef enum { FAULT_DROP_BEFORE_ANSWER, FAULT_DROP_MID_REQUEST, FAULT_500, FAULT_429, FAULT_TIMEOUT, N_FAULTS } Fault;

static const struct { const char *name; const char *method; const char *path; } steps[] = {
  { "capabilities", "GET", "/api/0.6/capabilities" },
  { "create-changeset", "PUT", "/api/0.6/changeset/create" },
  { "way-nodes", "GET", "/api/0.6/ways*" },
  { "upload", "POST", "/api/0.6/changeset/*/upload" },
  { "close", "PUT", "/api/0.6/changeset/*/close" },
  { "note-create", "POST", "/api/0.6/notes*" },
};
static const char * const kind_names[] = { "create", "modify", "delete", "note", "way-modify" };
static const char * const fault_names[] = { "drop-before-answer", "drop-mid-request", "500", "429", "timeout" };

/* The client gives up after a second; the delayed request is processed
 * after 1.5 s, when nobody waits for its answer any more. */
#define CLIENT_TIMEOUT_S 1
#define SERVER_DELAY_MS  1500

typedef struct
{
  Step  step;
  Kind  kind;
  Fault fault;
} Case;

static Fixture matrix;   /* one server for every case */
static guint   cases_run;

static gint64
count (const char *format,
       ...) G_GNUC_PRINTF (1, 2);

static gint64
count (const char *format,
       ...)
{
  g_autofree char *sql = NULL;
  va_list args;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);
  return server_count (&matrix, sql);
}

/* A node already on the server, put there by another mapper. */
static gint64
existing_node (const char *tag)
{
  g_autofree char *change = NULL;

  change = g_strdup_printf ("<osmChange version=\"0.6\"><create><node id=\"-1\" changeset=\"{cs}\" "
                            "lat=\"43.7\" lon=\"7.4\"><tag k=\"highway\" v=\"bus_stop\"/>"
                            "<tag k=\"name\" v=\"%s\"/></node></create></osmChange>", tag);
  other_mapper_uploads (&matrix, change);
  return count ("SELECT max(id) FROM element WHERE type = 'node'");
}

/* A way of two nodes already on the server: its id, at version 1. */
static gint64
existing_way (const char *tag)
{
  g_autofree char *change = NULL;

  change = g_strdup_printf ("<osmChange version=\"0.6\"><create>"
                            "<node id=\"-1\" changeset=\"{cs}\" lat=\"43.7\" lon=\"7.4\"/>"
                            "<node id=\"-2\" changeset=\"{cs}\" lat=\"43.701\" lon=\"7.401\"/>"
                            "<way id=\"-1\" changeset=\"{cs}\"><nd ref=\"-1\"/><nd ref=\"-2\"/>"
                            "<tag k=\"highway\" v=\"footway\"/><tag k=\"name\" v=\"%s\"/></way>"
                            "</create></osmChange>", tag);
  other_mapper_uploads (&matrix, change);
  return count ("SELECT max(id) FROM element WHERE type = 'way'");
}

static void
add_fault (const Case *c)
{
  static const BaliseTestFault kinds[] = {
    BALISE_TEST_FAULT_DROP_AFTER_COMMIT, BALISE_TEST_FAULT_DROP_MID_REQUEST,
    BALISE_TEST_FAULT_STATUS, BALISE_TEST_FAULT_STATUS, BALISE_TEST_FAULT_DELAY,
  };
  static const guint params[] = { 0, 16, 500, 429, SERVER_DELAY_MS };

  balise_test_server_add_fault (matrix.server, steps[c->step].method, steps[c->step].path,
                                kinds[c->fault], params[c->fault], 1);
}

static BaliseSyncReport *
sync_once (GError **error)
{
  g_autoptr(BaliseSyncClient) client = NULL;

  client = balise_sync_client_new (balise_test_server_get_url (matrix.server), "volunteer-token");
  balise_sync_client_set_timeout (client, CLIENT_TIMEOUT_S);
  return run_sync_with_client (&matrix, client, error);
}

static gboolean
note_waits (const char *uuid)
{
  g_autoptr(BaliseNote) note = balise_store_get_note (matrix.store, uuid, NULL);

  return note != NULL && note->status == BALISE_NOTE_STATUS_UPLOADING;
}

static void
test_case (gconstpointer data)
{
  const Case *c = data;
  g_autofree char *name = g_strdup_printf ("matrix-%s-%s-%s", steps[c->step].name,
                                           kind_names[c->kind], fault_names[c->fault]);
  g_autofree char *path = balise_test_tmp_path (name);
  g_autofree BaliseSyncReport *faulty = NULL;
  g_autofree BaliseSyncReport *normal = NULL;
  g_autoptr(BaliseEdit) edit = NULL;
  g_autoptr(BaliseNote) note = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) fault_error = NULL;
  gint64 node = 0;

  matrix.store = balise_store_open (path, &error);
  g_assert_no_error (error);
  balise_test_server_clear_faults (matrix.server);

  switch (c->kind)
    {
    case KIND_CREATE:
      edit = add_bus_stop (&matrix, name, 43.73, 7.42);
      break;
    case KIND_MODIFY:
    case KIND_DELETE:
      node = existing_node (name);
      edit = balise_edit_new (c->kind == KIND_MODIFY ? BALISE_EDIT_MODIFY : BALISE_EDIT_DELETE);
      edit->osm_id = node;
      edit->base_version = 1;
      edit->base_tags = balise_tags_new ();
      balise_tags_set (edit->base_tags, "highway", "bus_stop");
      balise_tags_set (edit->base_tags, "name", name);
      edit->lat = 43.7;
      edit->lon = 7.4;
      if (c->kind == KIND_MODIFY)
        {
          edit->new_tags = balise_tags_copy (edit->base_tags);
          balise_tags_set (edit->new_tags, "shelter", "yes");
        }
      g_assert_true (balise_store_add_edit (matrix.store, edit, &error));
      g_assert_no_error (error);
      break;
    case KIND_WAY_MODIFY:
      node = existing_way (name);
      edit = balise_edit_new (BALISE_EDIT_MODIFY);
      edit->osm_type = BALISE_OSM_WAY;
      edit->osm_id = node;
      edit->base_version = 1;
      edit->base_tags = balise_tags_new ();
      balise_tags_set (edit->base_tags, "highway", "footway");
      balise_tags_set (edit->base_tags, "name", name);
      edit->new_tags = balise_tags_copy (edit->base_tags);
      balise_tags_set (edit->new_tags, "lit", "yes");
      edit->lat = 43.7005;
      edit->lon = 7.4005;
      g_assert_true (balise_store_add_edit (matrix.store, edit, &error));
      g_assert_no_error (error);
      break;
    case KIND_NOTE:
      note = balise_note_new (43.74, 7.43, "street_lamp", name);
      g_assert_true (balise_store_add_note (matrix.store, note, &error));
      g_assert_no_error (error);
      break;
    case N_KINDS:
    default:
      g_assert_not_reached ();
    }

  /* The faulty sync: it may fail, it may even succeed (429 is waited out). */
  add_fault (c);
  faulty = sync_once (&fault_error);
  g_test_message ("%s: %s", name, fault_error ? fault_error->message : "no error");
  balise_test_server_clear_faults (matrix.server);

  /* A request the client gave up on lands later; a note whose request got
   * no answer is sent again only once that request cannot land any more. */
  if (c->fault == FAULT_TIMEOUT)
    g_usleep ((SERVER_DELAY_MS - CLIENT_TIMEOUT_S * 1000 + 300) * 1000);
  if (note != NULL && note_waits (note->uuid))
    g_usleep ((2 * CLIENT_TIMEOUT_S + 1) * G_USEC_PER_SEC);

  normal = sync_once (&error);
  g_assert_no_error (error);

  switch (c->kind)
    {
    case KIND_CREATE:
      {
        g_autoptr(BaliseEdit) stored = balise_store_get_edit (matrix.store, edit->uuid, &error);

        g_assert_cmpint (count ("SELECT count(*) FROM element WHERE xml LIKE '%%\"%s\"%%'", name), ==, 1);
        g_assert_cmpint (count ("SELECT count(*) FROM history WHERE xml LIKE '%%\"%s\"%%'", name), ==, 1);
        g_assert_cmpint (stored->status, ==, BALISE_EDIT_STATUS_UPLOADED);
        g_assert_cmpint (stored->new_id, ==,
                         count ("SELECT id FROM element WHERE xml LIKE '%%\"%s\"%%'", name));
      }
      break;
    case KIND_MODIFY:
      g_assert_cmpint (count ("SELECT version FROM element WHERE type = 'node' AND id = %" G_GINT64_FORMAT, node), ==, 2);
      g_assert_cmpint (count ("SELECT count(*) FROM history WHERE type = 'node' AND id = %" G_GINT64_FORMAT, node), ==, 2);
      g_assert_cmpint (count ("SELECT count(*) FROM element WHERE type = 'node' AND id = %" G_GINT64_FORMAT
                              " AND xml LIKE '%%shelter%%'", node), ==, 1);
      break;
    case KIND_DELETE:
      g_assert_cmpint (count ("SELECT visible FROM element WHERE type = 'node' AND id = %" G_GINT64_FORMAT, node), ==, 0);
      g_assert_cmpint (count ("SELECT count(*) FROM history WHERE type = 'node' AND id = %" G_GINT64_FORMAT, node), ==, 2);
      break;
    case KIND_WAY_MODIFY:
      /* Version 2 with the new tag and both its nodes, once. */
      g_assert_cmpint (count ("SELECT version FROM element WHERE type = 'way' AND id = %" G_GINT64_FORMAT, node), ==, 2);
      g_assert_cmpint (count ("SELECT count(*) FROM history WHERE type = 'way' AND id = %" G_GINT64_FORMAT, node), ==, 2);
      g_assert_cmpint (count ("SELECT count(*) FROM element WHERE type = 'way' AND id = %" G_GINT64_FORMAT
                              " AND xml LIKE '%%\"lit\"%%'", node), ==, 1);
      g_assert_cmpint (count ("SELECT count(*) FROM way_node WHERE way = %" G_GINT64_FORMAT, node), ==, 2);
      break;
    case KIND_NOTE:
      {
        g_autoptr(BaliseNote) stored = balise_store_get_note (matrix.store, note->uuid, &error);

        g_assert_cmpint (count ("SELECT count(*) FROM note_comment WHERE text = '%s'", name), ==, 1);
        g_assert_cmpint (stored->status, ==, BALISE_NOTE_STATUS_OPEN);
        g_assert_cmpint (stored->osm_note_id, ==,
                         count ("SELECT note FROM note_comment WHERE text = '%s'", name));
      }
      break;
    case N_KINDS:
    default:
      g_assert_not_reached ();
    }

  if (edit != NULL)
    {
      g_autoptr(BaliseEdit) stored = balise_store_get_edit (matrix.store, edit->uuid, &error);

      g_assert_no_error (error);
      g_assert_cmpint (stored->status, ==, BALISE_EDIT_STATUS_UPLOADED);
      g_assert_cmpuint (balise_store_count_pending (matrix.store), ==, 0);
      /* In exactly one changeset, closed. */
      g_assert_cmpint (count ("SELECT count(*) FROM changeset c JOIN changeset_tag t ON t.changeset = c.id "
                              "WHERE t.k = 'comment' AND t.v = 'Bus stops of Monaco' AND c.num_changes > 0 "
                              "AND c.closed_at IS NULL"), ==, 0);
    }

  cases_run++;
  g_clear_object (&matrix.store);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  fixture_tolerate_vanished_clients ();

  matrix.server = balise_test_server_new (NULL, NULL);
  g_assert_true (balise_test_server_start (matrix.server, 0, &error));
  g_assert_no_error (error);

  for (Step step = 0; step < N_STEPS; step++)
    for (Kind kind = 0; kind < N_KINDS; kind++)
      for (Fault fault = 0; fault < N_FAULTS; fault++)
        {
          g_autofree char *test_path = NULL;
          Case *c;

          /* Notes take no changeset, edits no note: those steps never
           * happen for them, and the cell would test nothing. */
          if ((kind == KIND_NOTE) != (step == STEP_NOTE) && step != STEP_CAPABILITIES)
            continue;
          /* Only a way modify reads the way's nodes. */
          if (step == STEP_WAYS && kind != KIND_WAY_MODIFY)
            continue;

          c = g_new0 (Case, 1);
          c->step = step;
          c->kind = kind;
          c->fault = fault;
          g_ptr_array_add (cases, c);
          test_path = g_strdup_printf ("/sync/matrix/%s/%s/%s", steps[step].name, kind_names[kind],
                                       fault_names[fault]);
          g_test_add_data_func (test_path, c, test_case);
        }

  status = g_test_run ();
  g_test_message ("matrix: %u cases run of %u", cases_run, cases->len);

  balise_test_server_stop (matrix.server);
  g_clear_object (&matrix.server);
  return status;
}
