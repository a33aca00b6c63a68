/* balise-sync-notes.c: faults become OSM notes, exactly once
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-sync"

#include "config.h"

#include <math.h>

#include "balise-note-json.h"
#include "balise-servers.h"
#include "balise-store-notes.h"
#include "balise-sync-client-private.h"

/* Closed notes are asked about again at most this often: they are rarely
 * reopened, and a coordinator may follow hundreds of them. */
#define CLOSED_REFRESH_SECONDS (24 * 60 * 60)

/* A note sent to another server than this run's: its id means nothing
 * here, so it is neither looked for nor refreshed. Notes sent before
 * Balise recorded the server (NULL) are taken to be this server's, as
 * they always were. */
static gboolean
is_other_server (BaliseSyncRun *run,
                 BaliseNote    *note)
{
  return note->server != NULL && !balise_server_url_equal (note->server, balise_sync_client_get_api_url (run->client));
}

/* Half the side of the box searched around a note whose creation got no
 * answer: the server keeps 7 decimals. */
#define SEARCH_MARGIN 0.0001

static gboolean
same_coordinate (double a,
                 double b)
{
  return fabs (a - b) < 1.5e-7;
}

static gboolean
same_text (const char *a,
           const char *b)
{
  g_autofree char *stripped_a = g_strstrip (g_strdup (a ? a : ""));
  g_autofree char *stripped_b = g_strstrip (g_strdup (b ? b : ""));

  return strcmp (stripped_a, stripped_b) == 0;
}

static gboolean
is_network_error (const GError *error)
{
  return g_error_matches (error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_NETWORK) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static char *
format_coordinate (double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.7f", value));
}

static GHashTable *
known_note_ids (BaliseSyncRun  *run,
                GError        **error)
{
  g_autoptr(GPtrArray) notes = balise_store_list_notes (run->store, 0, error);
  GHashTable *ids;

  if (notes == NULL)
    return NULL;

  ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  for (guint i = 0; i < notes->len; i++)
    {
      BaliseNote *note = g_ptr_array_index (notes, i);

      if (note->osm_note_id > 0)
        g_hash_table_add (ids, g_memdup2 (&note->osm_note_id, sizeof note->osm_note_id));
    }
  return ids;
}

/* The server's notes around @note whose opening text is @note's. */
static BaliseNote *
find_on_server (BaliseSyncRun  *run,
                BaliseNote     *note,
                GHashTable     *known,
                GCancellable   *cancellable,
                GError        **error)
{
  g_autofree char *left = format_coordinate (MAX (note->lon - SEARCH_MARGIN, -180.0));
  g_autofree char *bottom = format_coordinate (MAX (note->lat - SEARCH_MARGIN, -90.0));
  g_autofree char *right = format_coordinate (MIN (note->lon + SEARCH_MARGIN, 180.0));
  g_autofree char *top = format_coordinate (MIN (note->lat + SEARCH_MARGIN, 90.0));
  g_autofree char *path = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GPtrArray) found = NULL;

  /* closed=-1: closed notes too, someone may have closed it already. */
  path = g_strdup_printf ("api/0.6/notes.json?bbox=%s,%s,%s,%s&closed=-1&limit=1000",
                          left, bottom, right, top);
  answer = _balise_sync_api_call (run, "GET", path, NULL, NULL, NULL, cancellable, error);
  if (answer == NULL)
    return NULL;

  found = balise_note_json_parse (answer, error);
  if (found == NULL)
    return NULL;

  for (guint i = 0; i < found->len; i++)
    {
      BaliseNote *candidate = g_ptr_array_index (found, i);

      if (g_hash_table_contains (known, &candidate->osm_note_id))
        continue;
      if (same_coordinate (candidate->lat, note->lat) &&
          same_coordinate (candidate->lon, note->lon) &&
          same_text (candidate->text, note->text))
        return balise_note_ref (candidate);
    }

  return NULL;
}

/**
 * _balise_sync_recover_notes:
 *
 * A note left uploading was sent, and the answer never came: it may exist.
 * It is looked for on the server by its position and text before anything
 * is sent again. One not found is sent again only once the request it was
 * sent in cannot land any more (a server may still be working on it).
 */
gboolean
_balise_sync_recover_notes (BaliseSyncRun  *run,
                            GCancellable   *cancellable,
                            GError        **error)
{
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GHashTable) known = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GTimeSpan grace = 2 * (GTimeSpan) _balise_sync_client_get_timeout (run->client) * G_TIME_SPAN_SECOND;

  notes = balise_store_list_notes (run->store,
                                   BALISE_NOTE_STATUS_MASK (BALISE_NOTE_STATUS_UPLOADING), error);
  if (notes == NULL)
    return FALSE;
  if (notes->len == 0)
    return TRUE;

  known = known_note_ids (run, error);
  if (known == NULL)
    return FALSE;

  for (guint i = 0; i < notes->len; i++)
    {
      BaliseNote *note = g_ptr_array_index (notes, i);
      g_autoptr(BaliseNote) found = NULL;
      g_autoptr(GError) local_error = NULL;

      /* Never sent again elsewhere: it may exist where it was sent. */
      if (is_other_server (run, note))
        {
          g_debug ("Note %s was sent to %s; it is looked for when syncing there", note->uuid,
                   note->server);
          continue;
        }

      found = find_on_server (run, note, known, cancellable, &local_error);
      if (local_error != NULL)
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                      "Could not find out whether a note was created: ");
          return FALSE;
        }

      if (found != NULL)
        {
          g_debug ("Note %s is note %" G_GINT64_FORMAT " on the server", note->uuid,
                   found->osm_note_id);
          if (!_balise_store_set_note_server_state (run->store, note->uuid, balise_sync_client_get_api_url (run->client),
                                                    found->osm_note_id,
                                                    found->status, found->comments, error))
            return FALSE;
          g_hash_table_add (known, g_memdup2 (&found->osm_note_id, sizeof found->osm_note_id));
          run->report.notes++;
        }
      else if (note->updated_at != NULL &&
               g_date_time_difference (now, note->updated_at) < grace)
        {
          g_debug ("Note %s is not on the server yet; its request may still land", note->uuid);
        }
      else if (!_balise_store_fail_note (run->store, note->uuid,
                                         "Sending was interrupted; it will be sent again", error))
        {
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
refresh_note (BaliseSyncRun  *run,
              BaliseNote     *note,
              GCancellable   *cancellable,
              GError        **error)
{
  g_autofree char *path = g_strdup_printf ("api/0.6/notes/%" G_GINT64_FORMAT ".json",
                                           note->osm_note_id);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) local_error = NULL;
  BaliseNote *current;

  answer = _balise_sync_api_call (run, "GET", path, NULL, NULL, NULL, cancellable, &local_error);
  if (answer == NULL)
    {
      if (g_error_matches (local_error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_GONE))
        return _balise_store_set_note_server_state (run->store, note->uuid, NULL, note->osm_note_id,
                                                    BALISE_NOTE_STATUS_HIDDEN, note->comments,
                                                    error);
      if (is_network_error (local_error))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      /* A server that lost the note (a reset test instance) says nothing
       * about the next one. */
      g_debug ("Could not refresh note %" G_GINT64_FORMAT ": %s", note->osm_note_id,
               local_error->message);
      return TRUE;
    }

  found = balise_note_json_parse (answer, &local_error);
  if (found == NULL || found->len != 1 ||
      (current = g_ptr_array_index (found, 0))->osm_note_id != note->osm_note_id)
    {
      g_debug ("Unreadable answer about note %" G_GINT64_FORMAT ": %s", note->osm_note_id,
               local_error ? local_error->message : "not that note");
      return TRUE;
    }

  if (note->status == BALISE_NOTE_STATUS_OPEN && current->status == BALISE_NOTE_STATUS_CLOSED)
    run->report.notes_closed++;

  return _balise_store_set_note_server_state (run->store, note->uuid, NULL, note->osm_note_id,
                                              current->status, current->comments, error);
}

/**
 * _balise_sync_refresh_notes:
 *
 * Asks the server about every open note (and, once a day, the closed ones):
 * its status and its discussion.
 */
gboolean
_balise_sync_refresh_notes (BaliseSyncRun  *run,
                            GCancellable   *cancellable,
                            GError        **error)
{
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  notes = balise_store_list_notes (run->store,
                                   BALISE_NOTE_STATUS_MASK (BALISE_NOTE_STATUS_OPEN) |
                                   BALISE_NOTE_STATUS_MASK (BALISE_NOTE_STATUS_CLOSED),
                                   error);
  if (notes == NULL)
    return FALSE;

  for (guint i = 0; i < notes->len; i++)
    {
      BaliseNote *note = g_ptr_array_index (notes, i);

      if (note->status == BALISE_NOTE_STATUS_CLOSED && note->refreshed_at != NULL &&
          g_date_time_difference (now, note->refreshed_at) < CLOSED_REFRESH_SECONDS * G_TIME_SPAN_SECOND)
        continue;
      if (is_other_server (run, note))
        continue;

      if (!refresh_note (run, note, cancellable, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
send_note (BaliseSyncRun  *run,
           BaliseNote     *note,
           GCancellable   *cancellable,
           GError        **error)
{
  g_autofree char *lat = format_coordinate (note->lat);
  g_autofree char *lon = format_coordinate (note->lon);
  g_autofree char *form = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GPtrArray) created = NULL;
  g_autoptr(GError) local_error = NULL;
  BaliseNote *server_note;
  guint status = 0;

  /* Written before the request: from here on the note may exist. */
  if (!_balise_store_claim_note (run->store, note->uuid, balise_sync_client_get_api_url (run->client), run->note_ready_mask,
                                 &local_error))
    {
      if (g_error_matches (local_error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND))
        return TRUE;   /* no longer ready: taken back or rejected meanwhile */
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  form = soup_form_encode ("lat", lat, "lon", lon, "text", note->text, NULL);
  body = g_bytes_new_take (form, strlen (form));
  form = NULL;

  answer = _balise_sync_api_call (run, "POST", "api/0.6/notes.json",
                                  "application/x-www-form-urlencoded", body, &status,
                                  cancellable, &local_error);
  if (answer == NULL)
    {
      /* A 4xx answer is a refusal: nothing was created. No answer, or a
       * 5xx a proxy may send after the commit, leaves it for recovery. */
      if (status >= 400 && status < 500)
        {
          if (!_balise_store_fail_note (run->store, note->uuid, local_error->message, error))
            return FALSE;
          run->report.failed++;
          if (g_error_matches (local_error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_UNAUTHORIZED))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          g_debug ("Note %s refused: %s", note->uuid, local_error->message);
          return TRUE;
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  created = balise_note_json_parse (answer, &local_error);
  if (created == NULL || created->len != 1)
    {
      /* It exists, but its id is unreadable: recovery finds it. */
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  "The server's answer to a new note is unreadable: ");
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_BAD_RESPONSE,
                             "The server's answer to a new note holds no note");
      return FALSE;
    }

  server_note = g_ptr_array_index (created, 0);
  if (!_balise_store_set_note_server_state (run->store, note->uuid, balise_sync_client_get_api_url (run->client),
                                            server_note->osm_note_id,
                                            server_note->status, server_note->comments, error))
    return FALSE;

  run->report.notes++;
  return TRUE;
}

/**
 * _balise_sync_send_notes:
 *
 * Creates a note on the server for every ready note, oldest first, as the
 * signed-in user, or anonymously when nobody is signed in.
 */
gboolean
_balise_sync_send_notes (BaliseSyncRun  *run,
                         GCancellable   *cancellable,
                         GError        **error)
{
  g_autoptr(GPtrArray) notes = balise_store_list_notes (run->store, run->note_ready_mask, error);

  if (notes == NULL)
    return FALSE;

  for (guint i = 0; i < notes->len; i++)
    {
      if (!send_note (run, g_ptr_array_index (notes, i), cancellable, error))
        return FALSE;
    }

  return TRUE;
}
