/* test-notes.c: faults in the store
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#undef G_DISABLE_ASSERT

#include <math.h>

#include "balise-core.h"
#include "balise-store-notes.h"
#include "balise-test-utils.h"
#include "test-store.h"

static BaliseNote *
new_pothole (void)
{
  BaliseNote *note = balise_note_new (48.8566, 2.3522, "pothole",
                                      "Deep pothole in the cycle lane, about 30 cm wide.\n"
                                      "Recorded with Balise.");

  note->contributor = g_strdup ("Camille");
  note->preset = g_strdup ("fault/pothole");
  return note;
}

static void
test_notes_round_trip (void)
{
  g_autoptr(BaliseStore) store = test_store_open ("round-trip.sqlite");
  g_autoptr(BaliseNote) note = new_pothole ();
  g_autoptr(BaliseNote) read = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GError) error = NULL;

  note->element_type = BALISE_OSM_NODE;
  note->element_id = 123456;
  g_assert_true (balise_store_add_note (store, note, &error));
  g_assert_no_error (error);
  g_assert_cmpint (note->id, >, 0);
  g_assert_nonnull (note->uuid);
  g_assert_nonnull (note->created_at);

  read = balise_store_get_note (store, note->uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpint (read->id, ==, note->id);
  g_assert_cmpfloat_with_epsilon (read->lat, 48.8566, 1e-9);
  g_assert_cmpfloat_with_epsilon (read->lon, 2.3522, 1e-9);
  g_assert_cmpstr (read->category, ==, "pothole");
  g_assert_cmpstr (read->text, ==, note->text);
  g_assert_cmpint (read->element_type, ==, BALISE_OSM_NODE);
  g_assert_cmpint (read->element_id, ==, 123456);
  g_assert_cmpstr (read->contributor, ==, "Camille");
  g_assert_cmpstr (read->preset, ==, "fault/pothole");
  g_assert_cmpint (read->status, ==, BALISE_NOTE_STATUS_PENDING);
  g_assert_cmpint (read->osm_note_id, ==, 0);
  g_assert_nonnull (read->created_at);
  g_assert_true (g_date_time_equal (read->created_at, note->created_at) ||
                 g_date_time_difference (read->created_at, note->created_at) < G_USEC_PER_SEC);
  g_assert_nonnull (read->updated_at);
  g_assert_cmpuint (read->comments->len, ==, 0);
  g_assert_false (balise_note_is_on_server (read));

  notes = balise_store_list_notes (store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (notes->len, ==, 1);
  g_clear_pointer (&notes, g_ptr_array_unref);
  notes = balise_store_list_notes (store, BALISE_NOTE_STATUS_MASK (BALISE_NOTE_STATUS_APPROVED),
                                   &error);
  g_assert_no_error (error);
  g_assert_cmpuint (notes->len, ==, 0);

  g_clear_pointer (&read, balise_note_unref);
  read = balise_store_get_note (store, "00000000-0000-4000-8000-000000000000", &error);
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND);
  g_assert_null (read);
}

static void
assert_refused (BaliseStore *store,
                BaliseNote  *note,
                const char  *words)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (balise_store_add_note (store, note, &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID);
  g_test_message ("refused: %s", error->message);
  g_assert_nonnull (strstr (error->message, words));
  g_assert_cmpint (note->id, ==, 0);
}

static void
test_notes_invalid (void)
{
  g_autoptr(BaliseStore) store = test_store_open ("invalid.sqlite");
  g_autoptr(BaliseNote) good = new_pothole ();
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) long_text = g_string_new (NULL);

  /* Something is stored already: refusals must leave it alone. */
  g_assert_true (balise_store_add_note (store, good, &error));
  g_assert_no_error (error);

  {
    g_autoptr(BaliseNote) note = new_pothole ();
    note->lat = 91.0;
    assert_refused (store, note, "not on the globe");
  }
  {
    g_autoptr(BaliseNote) note = new_pothole ();
    note->lon = NAN;
    assert_refused (store, note, "not on the globe");
  }
  {
    g_autoptr(BaliseNote) note = balise_note_new (1.0, 2.0, "pothole", " \n\t ");
    assert_refused (store, note, "no text");
  }
  {
    g_autoptr(BaliseNote) note = balise_note_new (1.0, 2.0, "pothole", NULL);
    assert_refused (store, note, "no text");
  }
  {
    g_autoptr(BaliseNote) note = balise_note_new (1.0, 2.0, "", "Broken bench");
    assert_refused (store, note, "no category");
  }
  {
    g_autoptr(BaliseNote) note = balise_note_new (1.0, 2.0, "bench", "Broken\001 bench");
    assert_refused (store, note, "U+0001");
  }
  {
    g_autoptr(BaliseNote) note = balise_note_new (1.0, 2.0, "bench", "Broken \xff bench");
    assert_refused (store, note, "no text");
  }

  /* 2000 characters (not bytes) are fine, 2001 are not. */
  for (guint i = 0; i < BALISE_NOTE_MAX_CHARS; i++)
    g_string_append (long_text, "é");
  {
    g_autoptr(BaliseNote) note = balise_note_new (1.0, 2.0, "bench", long_text->str);
    g_assert_true (balise_store_add_note (store, note, &error));
    g_assert_no_error (error);
  }
  g_string_append_c (long_text, 'x');
  {
    g_autoptr(BaliseNote) note = balise_note_new (1.0, 2.0, "bench", long_text->str);
    assert_refused (store, note, "2001 characters");
  }
  {
    g_autoptr(BaliseNote) note = new_pothole ();
    note->status = BALISE_NOTE_STATUS_OPEN;
    assert_refused (store, note, "cannot be open");
  }

  notes = balise_store_list_notes (store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (notes->len, ==, 2);
  g_assert_cmpstr (((BaliseNote *) notes->pdata[0])->uuid, ==, good->uuid);
  g_assert_cmpstr (((BaliseNote *) notes->pdata[0])->text, ==, good->text);
}

static BaliseNoteStatus
status_of (BaliseStore *store,
           const char  *uuid)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BaliseNote) note = balise_store_get_note (store, uuid, &error);

  g_assert_no_error (error);
  return note->status;
}

static void
test_notes_status (void)
{
  g_autoptr(BaliseStore) store = test_store_open ("status.sqlite");
  g_autoptr(BaliseNote) note = new_pothole ();
  g_autoptr(GPtrArray) comments = NULL;
  g_autoptr(GDateTime) when = g_date_time_new_utc (2026, 5, 1, 12, 0, 0);
  g_autoptr(BaliseNote) read = NULL;
  g_autoptr(GError) error = NULL;
  const char *uuid;

  g_assert_true (balise_store_add_note (store, note, &error));
  g_assert_no_error (error);
  uuid = note->uuid;

  /* Review and undo. */
  g_assert_true (balise_store_set_note_status (store, uuid, BALISE_NOTE_STATUS_UNDONE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status_of (store, uuid), ==, BALISE_NOTE_STATUS_UNDONE);

  g_assert_false (balise_store_set_note_status (store, uuid, BALISE_NOTE_STATUS_APPROVED, &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "from undone to approved"));
  g_clear_error (&error);
  g_assert_cmpint (status_of (store, uuid), ==, BALISE_NOTE_STATUS_UNDONE);

  g_assert_true (balise_store_set_note_status (store, uuid, BALISE_NOTE_STATUS_PENDING, &error));
  g_assert_true (balise_store_set_note_status (store, uuid, BALISE_NOTE_STATUS_HAS_ISSUES, &error));
  g_assert_true (balise_store_set_note_status (store, uuid, BALISE_NOTE_STATUS_APPROVED, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status_of (store, uuid), ==, BALISE_NOTE_STATUS_APPROVED);

  /* A person cannot claim a note is on the server. */
  g_assert_false (balise_store_set_note_status (store, uuid, BALISE_NOTE_STATUS_OPEN, &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* Sync: only a ready note is claimed. */
  g_assert_false (_balise_store_claim_note (store, uuid, "http://127.0.0.1/",
                                            BALISE_NOTE_STATUS_MASK (BALISE_NOTE_STATUS_PENDING),
                                            &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (_balise_store_claim_note (store, uuid, "http://127.0.0.1/",
                                           BALISE_NOTE_STATUS_MASK (BALISE_NOTE_STATUS_APPROVED),
                                           &error));
  g_assert_no_error (error);
  g_assert_cmpint (status_of (store, uuid), ==, BALISE_NOTE_STATUS_UPLOADING);

  /* Once sent, it is sync's: review and undo are refused. */
  g_assert_false (balise_store_set_note_status (store, uuid, BALISE_NOTE_STATUS_UNDONE, &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "already on the server"));
  g_clear_error (&error);

  /* Refused by the server: failed, with the reason, ready again. */
  g_assert_true (_balise_store_fail_note (store, uuid, "400 Bad Request: text is required", &error));
  g_assert_no_error (error);
  read = balise_store_get_note (store, uuid, &error);
  g_assert_cmpint (read->status, ==, BALISE_NOTE_STATUS_FAILED);
  g_assert_cmpstr (read->error, ==, "400 Bad Request: text is required");
  g_clear_pointer (&read, balise_note_unref);

  g_assert_true (_balise_store_claim_note (store, uuid, "http://127.0.0.1/",
                                           BALISE_NOTE_STATUS_MASK (BALISE_NOTE_STATUS_FAILED),
                                           &error));
  comments = g_ptr_array_new_with_free_func ((GDestroyNotify) balise_note_comment_free);
  g_ptr_array_add (comments, balise_note_comment_new (when, NULL, "opened", note->text));
  g_ptr_array_add (comments, balise_note_comment_new (when, "Mairie « Voirie »", "closed",
                                                      "Repaired on 2 May, thanks!"));
  g_assert_true (_balise_store_set_note_server_state (store, uuid, NULL, 4242, BALISE_NOTE_STATUS_CLOSED,
                                                      comments, &error));
  g_assert_no_error (error);

  read = balise_store_get_note (store, uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpint (read->status, ==, BALISE_NOTE_STATUS_CLOSED);
  g_assert_cmpint (read->osm_note_id, ==, 4242);
  /* The server it was claimed for stays: a refresh names none. */
  g_assert_cmpstr (read->server, ==, "http://127.0.0.1/");
  g_assert_null (read->error);
  g_assert_nonnull (read->refreshed_at);
  g_assert_true (balise_note_is_on_server (read));
  g_assert_cmpuint (read->comments->len, ==, 2);
  {
    BaliseNoteComment *first = g_ptr_array_index (read->comments, 0);
    BaliseNoteComment *second = g_ptr_array_index (read->comments, 1);

    g_assert_null (first->user);
    g_assert_cmpstr (first->action, ==, "opened");
    g_assert_cmpstr (first->text, ==, note->text);
    g_assert_true (g_date_time_equal (first->date, when));
    g_assert_cmpstr (second->user, ==, "Mairie « Voirie »");
    g_assert_cmpstr (second->action, ==, "closed");
    g_assert_cmpstr (second->text, ==, "Repaired on 2 May, thanks!");
  }
}

static void
test_notes_transitions (void)
{
  /* Every move a person may make leaves a status people own; nothing
   * leaves a status sync owns. */
  for (BaliseNoteStatus from = 0; from <= BALISE_NOTE_STATUS_LAST; from++)
    for (BaliseNoteStatus to = 0; to <= BALISE_NOTE_STATUS_LAST; to++)
      {
        gboolean server_from = from == BALISE_NOTE_STATUS_UPLOADING || from == BALISE_NOTE_STATUS_OPEN ||
                               from == BALISE_NOTE_STATUS_CLOSED || from == BALISE_NOTE_STATUS_HIDDEN;
        gboolean server_to = to == BALISE_NOTE_STATUS_UPLOADING || to == BALISE_NOTE_STATUS_OPEN ||
                             to == BALISE_NOTE_STATUS_CLOSED || to == BALISE_NOTE_STATUS_HIDDEN ||
                             to == BALISE_NOTE_STATUS_FAILED;

        if (from == to)
          g_assert_true (balise_note_status_can_change (from, to));
        else if (server_from || server_to)
          g_assert_false (balise_note_status_can_change (from, to));
      }

  g_assert_true (balise_note_status_can_change (BALISE_NOTE_STATUS_PENDING, BALISE_NOTE_STATUS_APPROVED));
  g_assert_true (balise_note_status_can_change (BALISE_NOTE_STATUS_UNDONE, BALISE_NOTE_STATUS_PENDING));
  g_assert_false (balise_note_status_can_change (BALISE_NOTE_STATUS_REJECTED, BALISE_NOTE_STATUS_UNDONE));
}

typedef struct
{
  GMainLoop *loop;
  gboolean   ok;
  GError    *error;
} AsyncState;

static void
async_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  AsyncState *state = user_data;

  state->ok = balise_store_add_note_finish (BALISE_STORE (source), result, &state->error);
  g_main_loop_quit (state->loop);
}

static void
status_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  AsyncState *state = user_data;

  state->ok = balise_store_set_note_status_finish (BALISE_STORE (source), result, &state->error);
  g_main_loop_quit (state->loop);
}

static void
test_notes_async (void)
{
  g_autoptr(BaliseStore) store = test_store_open ("async.sqlite");
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(BaliseNote) note = new_pothole ();
  g_autoptr(BaliseNote) bad = balise_note_new (100.0, 0.0, "pothole", "Off the globe");
  AsyncState state = { loop, FALSE, NULL };

  balise_store_add_note_async (store, note, NULL, async_done_cb, &state);
  g_main_loop_run (loop);
  g_assert_no_error (state.error);
  g_assert_true (state.ok);
  g_assert_cmpint (note->id, >, 0);
  g_assert_cmpint (status_of (store, note->uuid), ==, BALISE_NOTE_STATUS_PENDING);

  balise_store_add_note_async (store, bad, NULL, async_done_cb, &state);
  g_main_loop_run (loop);
  g_assert_false (state.ok);
  g_assert_error (state.error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID);
  g_clear_error (&state.error);

  balise_store_set_note_status_async (store, note->uuid, BALISE_NOTE_STATUS_REJECTED, NULL,
                                      status_done_cb, &state);
  g_main_loop_run (loop);
  g_assert_no_error (state.error);
  g_assert_true (state.ok);
  g_assert_cmpint (status_of (store, note->uuid), ==, BALISE_NOTE_STATUS_REJECTED);
}

typedef struct
{
  GMainLoop *loop;
  GPtrArray *notes;
  GError    *error;
} ListState;

static void
listed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  ListState *state = user_data;

  state->notes = balise_store_list_notes_finish (BALISE_STORE (source), result, &state->error);
  g_main_loop_quit (state->loop);
}

/* The notes read in a worker thread are those read on the main thread, the
 * status mask applied alike; a cancelled read says so. */
static void
test_notes_list_async (void)
{
  g_autoptr(BaliseStore) store = test_store_open ("list-async.sqlite");
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GPtrArray) expected = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  ListState state = { loop, NULL, NULL };
  guint approved = BALISE_NOTE_STATUS_MASK (BALISE_NOTE_STATUS_APPROVED);

  for (int i = 0; i < 3; i++)
    {
      g_autoptr(BaliseNote) note = new_pothole ();

      g_assert_true (balise_store_add_note (store, note, &error));
      g_assert_no_error (error);
      if (i == 1)
        {
          g_assert_true (balise_store_set_note_status (store, note->uuid, BALISE_NOTE_STATUS_APPROVED, &error));
          g_assert_no_error (error);
        }
    }

  expected = balise_store_list_notes (store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (expected->len, ==, 3);

  balise_store_list_notes_async (store, 0, NULL, listed_cb, &state);
  g_main_loop_run (loop);
  g_assert_no_error (state.error);
  g_assert_cmpuint (state.notes->len, ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    {
      BaliseNote *a = g_ptr_array_index (expected, i), *b = g_ptr_array_index (state.notes, i);

      g_assert_cmpstr (a->uuid, ==, b->uuid);
      g_assert_cmpstr (a->text, ==, b->text);
      g_assert_cmpint (a->status, ==, b->status);
    }
  g_clear_pointer (&state.notes, g_ptr_array_unref);

  balise_store_list_notes_async (store, approved, NULL, listed_cb, &state);
  g_main_loop_run (loop);
  g_assert_no_error (state.error);
  g_assert_cmpuint (state.notes->len, ==, 1);
  g_assert_cmpstr (((BaliseNote *) g_ptr_array_index (state.notes, 0))->uuid, ==,
                   ((BaliseNote *) g_ptr_array_index (expected, 1))->uuid);
  g_clear_pointer (&state.notes, g_ptr_array_unref);

  g_cancellable_cancel (cancellable);
  balise_store_list_notes_async (store, 0, cancellable, listed_cb, &state);
  g_main_loop_run (loop);
  g_assert_null (state.notes);
  g_assert_error (state.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&state.error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/notes/round-trip", test_notes_round_trip);
  g_test_add_func ("/notes/invalid", test_notes_invalid);
  g_test_add_func ("/notes/status", test_notes_status);
  g_test_add_func ("/notes/transitions", test_notes_transitions);
  g_test_add_func ("/notes/async", test_notes_async);
  g_test_add_func ("/notes/list-async", test_notes_list_async);

  return g_test_run ();
}
