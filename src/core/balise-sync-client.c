/* balise-sync-client.c: OSM API 0.6 client and the exactly-once upload
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-sync"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "balise-changeset-summary.h"
#include "balise-changeset-tags.h"
#include "balise-osm-xml.h"
#include "balise-store-notes.h"
#include "balise-store-private.h"
#include "balise-store-review.h"
#include "balise-store-sync.h"
#include "balise-sync-client-private.h"
#include "balise-sync-lock.h"

/* Answers larger than this are refused (a changeset download of 10 000
 * elements is a few MB). */
#define MAX_ANSWER_BYTES (64 * 1024 * 1024)

/* Rate limits and maintenance: how often, and how long, to wait and retry. */
#define MAX_ATTEMPTS            4
#define MAX_RETRY_AFTER_SECONDS 120

struct _BaliseSyncClient
{
  GObject  parent_instance;

  char    *api_url;      /* ends with '/' */
  char    *token;
  guint    timeout;      /* seconds */
  GStrv    hashtags;
  gboolean credit;
};

G_DEFINE_FINAL_TYPE (BaliseSyncClient, balise_sync_client, G_TYPE_OBJECT)

typedef BaliseSyncRun SyncRun;

static void
sync_run_free (SyncRun *run)
{
  g_clear_object (&run->client);
  g_clear_object (&run->store);
  g_clear_object (&run->session);
  g_free (run->comment);
  g_strfreev (run->hashtags);
  g_free (run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SyncRun, sync_run_free)

/*
 * HTTP
 */

static BaliseSyncError
error_code_for_status (guint       status,
                       const char *message)
{
  switch (status)
    {
    case 400: return BALISE_SYNC_ERROR_BAD_REQUEST;
    case 401: return BALISE_SYNC_ERROR_UNAUTHORIZED;
    case 403: return BALISE_SYNC_ERROR_FORBIDDEN;
    case 404: return BALISE_SYNC_ERROR_NOT_FOUND;
    case 409:
      if (message != NULL && g_str_has_prefix (message, "The changeset ") &&
          strstr (message, " was closed at ") != NULL)
        return BALISE_SYNC_ERROR_CHANGESET_CLOSED;
      return BALISE_SYNC_ERROR_CONFLICT;
    case 410: return BALISE_SYNC_ERROR_GONE;
    case 412: return BALISE_SYNC_ERROR_PRECONDITION;
    case 413: return BALISE_SYNC_ERROR_TOO_LARGE;
    case 429:
    case 509: return BALISE_SYNC_ERROR_RATE_LIMITED;
    case 503: return BALISE_SYNC_ERROR_UNAVAILABLE;
    default:
      return status >= 500 ? BALISE_SYNC_ERROR_SERVER : BALISE_SYNC_ERROR_FAILED;
    }
}

static char *
answer_message (SoupMessage *message,
                GBytes      *body)
{
  const char *header = soup_message_headers_get_one (soup_message_get_response_headers (message),
                                                     "Error");
  gsize size = 0;
  const char *data;

  if (header != NULL && *header != '\0')
    return g_strdup (header);

  data = body ? g_bytes_get_data (body, &size) : NULL;
  if (data != NULL && size > 0 && size < 4096 && g_utf8_validate (data, (gssize) size, NULL))
    return g_strstrip (g_strndup (data, size));

  return g_strdup (soup_message_get_reason_phrase (message));
}

/* Returns the body of a 2xx answer. Any other answer becomes a
 * BALISE_SYNC_ERROR naming the status and the server's message. */
static GBytes *
api_call_once (SyncRun       *run,
               const char    *method,
               const char    *path,
               const char    *content_type,
               GBytes        *body,
               guint         *status_out,
               guint         *retry_after,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autofree char *uri = g_strconcat (run->client->api_url, path, NULL);
  g_autoptr(SoupMessage) message = soup_message_new (method, uri);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *text = NULL;
  guint status;

  if (status_out != NULL)
    *status_out = 0;

  if (message == NULL)
    {
      g_set_error (error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_FAILED,
                   "“%s” is not a valid server address", uri);
      return NULL;
    }

  if (body != NULL)
    {
      soup_message_set_request_body_from_bytes (message, content_type, body);
      /* libsoup sends a PUT again by itself when a reused connection closes
       * with no answer; but `PUT changeset/create` is not idempotent, and the
       * first one may have landed. A new connection is never re-sent. */
      soup_message_add_flags (message, SOUP_MESSAGE_NEW_CONNECTION);
    }
  if (run->client->token != NULL)
    {
      g_autofree char *authorization = g_strconcat ("Bearer ", run->client->token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (message),
                                    "Authorization", authorization);
    }

  g_debug ("%s %s", method, uri);
  answer = soup_session_send_and_read (run->session, message, cancellable, &local_error);
  if (answer == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_NETWORK,
                     "No answer from %s: %s", run->client->api_url, local_error->message);
      return NULL;
    }

  status = soup_message_get_status (message);
  if (status_out != NULL)
    *status_out = status;

  if (g_bytes_get_size (answer) > MAX_ANSWER_BYTES)
    {
      g_set_error (error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_BAD_RESPONSE,
                   "The server's answer to %s %s is too large", method, path);
      return NULL;
    }

  if (status >= 200 && status < 300)
    return g_steal_pointer (&answer);

  text = answer_message (message, answer);
  if (status == 401)
    g_set_error (error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_UNAUTHORIZED,
                 "%s did not accept your sign-in (%s): sign in again; nothing was lost",
                 run->client->api_url, text);
  else
    g_set_error (error, BALISE_SYNC_ERROR, error_code_for_status (status, text),
                 "%s %s: %u %s", method, path, status, text);

  if (retry_after != NULL)
    {
      const char *header = soup_message_headers_get_one (soup_message_get_response_headers (message),
                                                         "Retry-After");
      guint64 seconds = 0;

      *retry_after = 0;
      if (header != NULL && g_ascii_string_to_unsigned (header, 10, 0, G_MAXUINT, &seconds, NULL))
        *retry_after = (guint) seconds;
    }
  return NULL;
}

/* Waits on the worker thread, waking up at once when cancelled. */
static gboolean
wait_seconds (guint          seconds,
              GCancellable  *cancellable,
              GError       **error)
{
  gint64 end = g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < end)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      g_usleep (MIN (50000, end - g_get_monotonic_time () + 1));
    }
  return TRUE;
}

/* An answered 429, 509 or 503 means the server did not process the request,
 * so sending it again is safe: wait as long as Retry-After asks (or back off
 * exponentially), a few times, then give up with the server's message. */
GBytes *
_balise_sync_api_call (SyncRun       *run,
                       const char    *method,
                       const char    *path,
                       const char    *content_type,
                       GBytes        *body,
                       guint         *status_out,
                       GCancellable  *cancellable,
                       GError       **error)
{
  for (guint attempt = 0; ; attempt++)
    {
      g_autoptr(GError) local_error = NULL;
      guint retry_after = 0;
      guint status = 0;
      GBytes *answer;

      answer = api_call_once (run, method, path, content_type, body, &status, &retry_after,
                              cancellable, &local_error);
      if (status_out != NULL)
        *status_out = status;
      if (answer != NULL)
        return answer;

      if (attempt + 1 >= MAX_ATTEMPTS ||
          !(g_error_matches (local_error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_RATE_LIMITED) ||
            g_error_matches (local_error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_UNAVAILABLE)))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }

      if (retry_after == 0)
        retry_after = 1u << attempt;
      if (retry_after > MAX_RETRY_AFTER_SECONDS)
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                      "The server asks to wait %u minutes: ",
                                      (retry_after + 59) / 60);
          return NULL;
        }

      g_debug ("%s %s: %s; trying again in %u s", method, path, local_error->message, retry_after);
      if (!wait_seconds (retry_after, cancellable, error))
        return NULL;
    }
}

static GBytes *
api_call (SyncRun       *run,
          const char    *method,
          const char    *path,
          GBytes        *body,
          guint         *status_out,
          GCancellable  *cancellable,
          GError       **error)
{
  return _balise_sync_api_call (run, method, path, "text/xml; charset=utf-8", body, status_out,
                                cancellable, error);
}

static gboolean
is_loopback_uri (GUri *uri)
{
  const char *host = g_uri_get_host (uri);

  return g_strcmp0 (host, "127.0.0.1") == 0 ||
         g_strcmp0 (host, "localhost") == 0 ||
         g_strcmp0 (host, "::1") == 0 ||
         g_strcmp0 (host, "[::1]") == 0;
}

/**
 * balise_sync_check_server_url:
 *
 * Checks that @api_url is a server address Balise may talk to: TLS is
 * required for every server that is not on this machine.
 */
gboolean
balise_sync_check_server_url (const char  *api_url,
                              GError     **error)
{
  g_autoptr(GUri) uri = g_uri_parse (api_url, G_URI_FLAGS_NONE, NULL);

  if (uri == NULL || g_uri_get_host (uri) == NULL ||
      (g_strcmp0 (g_uri_get_scheme (uri), "https") != 0 &&
       g_strcmp0 (g_uri_get_scheme (uri), "http") != 0))
    {
      g_set_error (error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_FAILED,
                   "“%s” is not a valid server address", api_url);
      return FALSE;
    }

  if (g_strcmp0 (g_uri_get_scheme (uri), "http") == 0 && !is_loopback_uri (uri))
    {
      g_set_error (error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_FAILED,
                   "The server address “%s” is not encrypted; use https://", api_url);
      return FALSE;
    }

  return TRUE;
}

/*
 * The steps
 */

static gboolean
fetch_capabilities (SyncRun       *run,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(GBytes) answer = NULL;

  answer = api_call (run, "GET", "api/0.6/capabilities", NULL, NULL, cancellable, error);
  if (answer == NULL)
    return FALSE;

  if (!balise_osm_xml_parse_capabilities (answer, &run->capabilities, error))
    {
      g_prefix_error (error, "The server's capabilities are unreadable: ");
      return FALSE;
    }

  if (!run->capabilities.api_online)
    {
      g_set_error_literal (error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_UNAVAILABLE,
                           "The server is read-only or offline for maintenance; try again later");
      return FALSE;
    }

  return TRUE;
}

static gint64
create_changeset (SyncRun       *run,
                  BaliseBatch   *batch,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autoptr(BaliseTags) tags = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) credits = NULL;
  gint64 id = 0;

  /* Each changeset credits the people of its own edits. */
  if (run->credit)
    {
      g_autoptr(GPtrArray) edits = _balise_store_list_batch_edits (run->store, batch->uuid, error);

      if (edits == NULL)
        return 0;
      credits = balise_changeset_credits (edits);
    }

  tags = balise_changeset_tags_new (batch->comment != NULL ? batch->comment : run->comment,
                                    (const char * const *) credits, batch->uuid);

  body = balise_osm_xml_write_changeset (tags, "Balise " PACKAGE_VERSION);
  answer = api_call (run, "PUT", "api/0.6/changeset/create", body, NULL, cancellable, error);
  if (answer == NULL)
    return 0;

  text = g_strstrip (g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer)));
  if (!g_ascii_string_to_signed (text, 10, 1, G_MAXINT64, &id, NULL))
    {
      g_set_error (error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_BAD_RESPONSE,
                   "The server answered “%.40s” instead of a changeset id", text);
      return 0;
    }

  return id;
}

/* Closes the changeset on the server; one already closed is fine. */
static gboolean
close_on_server (SyncRun       *run,
                 gint64         changeset_id,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autofree char *path = g_strdup_printf ("api/0.6/changeset/%" G_GINT64_FORMAT "/close",
                                           changeset_id);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) local_error = NULL;

  answer = api_call (run, "PUT", path, NULL, NULL, cancellable, &local_error);
  if (answer == NULL &&
      !g_error_matches (local_error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_CHANGESET_CLOSED))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

static gboolean
close_changeset (SyncRun       *run,
                 BaliseBatch   *batch,
                 GCancellable  *cancellable,
                 GError       **error)
{
  if (!close_on_server (run, batch->changeset_id, cancellable, error))
    return FALSE;

  return _balise_store_set_batch_state (run->store, batch->uuid, BALISE_BATCH_CLOSED, error);
}

static void
count_uploaded (SyncRun   *run,
                GPtrArray *edits)
{
  for (guint i = 0; i < edits->len; i++)
    {
      BaliseEdit *edit = g_ptr_array_index (edits, i);

      switch (edit->kind)
        {
        case BALISE_EDIT_CREATE: run->report.created++; break;
        case BALISE_EDIT_MODIFY: run->report.modified++; break;
        case BALISE_EDIT_DELETE: run->report.deleted++; break;
        case BALISE_EDIT_NOTE:   run->report.notes++; break;
        default: g_assert_not_reached ();
        }
      _balise_sync_report_count (&run->report, edit);
    }
}

/* Creates the batch's changeset and stores its id: the batch is open. */
static gboolean
open_changeset (SyncRun       *run,
                BaliseBatch   *batch,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  batch->changeset_id = create_changeset (run, batch, cancellable, &local_error);
  if (batch->changeset_id == 0)
    {
      /* Refused outright: nothing exists on the server. Without an answer
       * the batch stays planned and recovery releases it. */
      if (local_error->domain == BALISE_SYNC_ERROR &&
          local_error->code != BALISE_SYNC_ERROR_NETWORK &&
          local_error->code != BALISE_SYNC_ERROR_SERVER &&
          !_balise_store_abandon_batch (run->store, batch->uuid, local_error->message, error))
        return FALSE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return _balise_store_set_batch_changeset (run->store, batch->uuid, batch->changeset_id, error);
}

/* Uploads the batch; a refusal that names one of its elements (409 version
 * mismatch, 410, 412) settles that edit and sends the others again in the
 * same changeset, and a changeset closed meanwhile is replaced. */
static gboolean
upload_batch (SyncRun       *run,
              BaliseBatch   *batch,
              GCancellable  *cancellable,
              GError       **error)
{
  guint refusals = 0;

  for (;;)
    {
      g_autofree char *path = NULL;
      g_autoptr(GPtrArray) edits = NULL;
      g_autoptr(GBytes) body = NULL;
      g_autoptr(GBytes) answer = NULL;
      g_autoptr(GArray) diff = NULL;
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GError) settle_error = NULL;
      g_autoptr(GError) close_error = NULL;
      gboolean settled = FALSE;
      gint64 span;
      guint status;

      span = g_get_monotonic_time ();
      edits = _balise_store_list_batch_edits (run->store, batch->uuid, error);
      if (edits == NULL)
        return FALSE;
      g_debug ("%u edits read in %.3f s", edits->len, (g_get_monotonic_time () - span) / 1e6);

      if (edits->len == 0)
        {
          /* Every edit of it became a conflict: the changeset stays empty. */
          if (!_balise_store_abandon_batch (run->store, batch->uuid, "", error))
            return FALSE;
          if (!close_on_server (run, batch->changeset_id, cancellable, &close_error))
            g_debug ("Could not close changeset %" G_GINT64_FORMAT ": %s",
                     batch->changeset_id, close_error->message);
          return TRUE;
        }

      if (!_balise_sync_fill_way_nodes (run, batch, edits, &settled, cancellable, error))
        return FALSE;
      if (settled)
        continue;

      body = balise_osm_xml_write_change (edits, batch->changeset_id, "Balise " PACKAGE_VERSION);
      g_debug ("osmChange written: %" G_GSIZE_FORMAT " bytes", g_bytes_get_size (body));

      /* From here on the upload may land even if no answer comes back: the
       * state says so, and recovery asks the server before anything is re-sent. */
      if (!_balise_store_set_batch_state (run->store, batch->uuid, BALISE_BATCH_UPLOADING, error))
        return FALSE;

      path = g_strdup_printf ("api/0.6/changeset/%" G_GINT64_FORMAT "/upload", batch->changeset_id);
      answer = api_call (run, "POST", path, body, &status, cancellable, &local_error);
      if (answer != NULL)
        {
          g_debug ("Upload of %u edits answered", edits->len);
          span = g_get_monotonic_time ();
          diff = balise_osm_xml_parse_diff_result (answer, error);
          if (diff == NULL)
            {
              g_prefix_error (error, "The server's answer to the upload is unreadable: ");
              return FALSE;
            }

          g_debug ("diffResult read in %.3f s", (g_get_monotonic_time () - span) / 1e6);
          span = g_get_monotonic_time ();
          if (!_balise_store_apply_diff (run->store, batch->uuid, batch->changeset_id, diff, edits,
                                         error))
            return FALSE;
          g_debug ("diffResult applied in %.3f s", (g_get_monotonic_time () - span) / 1e6);

          count_uploaded (run, edits);
          run->report.changesets++;
          run->report.last_changeset_id = batch->changeset_id;

          return close_changeset (run, batch, cancellable, error);
        }

      /* A 4xx answer means the server refused the whole upload (it is
       * atomic): nothing landed. No answer, or a 5xx that a proxy may send
       * after the commit, leaves the batch uploading for recovery. */
      if (status < 400 || status >= 500)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      if (refusals++ <= edits->len + 1)
        {
          if (g_error_matches (local_error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_CHANGESET_CLOSED))
            {
              g_debug ("%s; opening a new changeset", local_error->message);
              if (!_balise_store_set_batch_state (run->store, batch->uuid, BALISE_BATCH_PLANNED, error) ||
                  !open_changeset (run, batch, cancellable, error))
                return FALSE;
              continue;
            }

          if (_balise_sync_settle_refusal (run, batch, edits, local_error, cancellable, &settle_error))
            continue;
          if (settle_error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&settle_error));
              return FALSE;
            }
        }

      if (!_balise_store_abandon_batch (run->store, batch->uuid, local_error->message, error))
        return FALSE;
      run->report.failed += edits->len;
      if (!close_changeset (run, batch, cancellable, &close_error))
        g_debug ("Could not close changeset %" G_GINT64_FORMAT ": %s",
                 batch->changeset_id, close_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
}

static gboolean
send_batch (SyncRun       *run,
            BaliseBatch   *batch,
            GCancellable  *cancellable,
            GError       **error)
{
  return open_changeset (run, batch, cancellable, error) &&
         upload_batch (run, batch, cancellable, error);
}

/*
 * Recovery (DESIGN §4.5): a batch left unfinished by a crash, a cut
 * connection or a cancel is settled with the server before anything else.
 */

static gboolean
same_position (double a,
               double b)
{
  return fabs (a - b) < 1.5e-7;
}

static const BaliseEdit *
match_downloaded (GPtrArray  *downloaded,
                  gboolean   *used,
                  BaliseEdit *edit)
{
  for (guint i = 0; i < downloaded->len; i++)
    {
      const BaliseEdit *found = g_ptr_array_index (downloaded, i);

      if (used[i] || found->kind != edit->kind || found->osm_type != edit->osm_type)
        continue;

      if (edit->kind == BALISE_EDIT_CREATE)
        {
          if (!balise_tags_equal (found->new_tags, edit->new_tags) ||
              !same_position (found->lat, edit->lat) || !same_position (found->lon, edit->lon))
            continue;
        }
      else if (found->osm_id != edit->osm_id)
        continue;

      used[i] = TRUE;
      return found;
    }
  return NULL;
}

static gboolean
recover_uploading (SyncRun       *run,
                   BaliseBatch   *batch,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autofree char *path = g_strdup_printf ("api/0.6/changeset/%" G_GINT64_FORMAT "/download",
                                           batch->changeset_id);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GPtrArray) downloaded = NULL;
  g_autoptr(GPtrArray) edits = NULL;
  g_autoptr(GArray) diff = NULL;
  g_autofree gboolean *used = NULL;

  /* Close first: an upload the server is still working on (the client
   * gave up waiting) can no longer land once the changeset is closed, so
   * what the download shows is final. */
  if (!close_on_server (run, batch->changeset_id, cancellable, error))
    return FALSE;

  answer = api_call (run, "GET", path, NULL, NULL, cancellable, error);
  if (answer == NULL)
    return FALSE;

  downloaded = balise_osm_xml_parse_change (answer, error);
  if (downloaded == NULL)
    return FALSE;

  if (downloaded->len == 0)
    {
      g_debug ("Changeset %" G_GINT64_FORMAT " is empty: the upload did not land",
               batch->changeset_id);
      if (!_balise_store_abandon_batch (run->store, batch->uuid,
                                        "The upload was interrupted; it will be sent again", error))
        return FALSE;
      return TRUE;
    }

  /* The upload is atomic on the server: it landed whole. Rebuild the
   * diffResult that was lost by matching each edit to what the changeset did. */
  edits = _balise_store_list_batch_edits (run->store, batch->uuid, error);
  if (edits == NULL)
    return FALSE;

  used = g_new0 (gboolean, downloaded->len);
  diff = g_array_new (FALSE, TRUE, sizeof (BaliseDiffEntry));
  for (guint i = 0; i < edits->len; i++)
    {
      BaliseEdit *edit = g_ptr_array_index (edits, i);
      const BaliseEdit *found;
      BaliseDiffEntry entry = { edit->osm_type, edit->osm_id, 0, 0 };

      if (edit->status != BALISE_EDIT_STATUS_UPLOADING)
        continue;

      found = match_downloaded (downloaded, used, edit);
      if (found == NULL)
        {
          g_set_error (error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_BAD_RESPONSE,
                       "Changeset %" G_GINT64_FORMAT " does not hold the edit of %s; "
                       "it was left as it is for a person to check",
                       batch->changeset_id, balise_edit_describe (edit));
          return FALSE;
        }

      if (edit->kind != BALISE_EDIT_DELETE)
        {
          entry.new_id = found->osm_id;
          entry.new_version = found->base_version;
        }
      g_array_append_val (diff, entry);
    }

  if (!_balise_store_apply_diff (run->store, batch->uuid, batch->changeset_id, diff, edits, error))
    return FALSE;

  count_uploaded (run, edits);
  run->report.changesets++;
  run->report.last_changeset_id = batch->changeset_id;

  return _balise_store_set_batch_state (run->store, batch->uuid, BALISE_BATCH_CLOSED, error);
}

/* A planned batch may have a changeset on the server whose id never reached
 * the store (no answer to the create). Find it among the user's open
 * changesets by the batch tag, and close it: it is empty, as the upload
 * only follows once the id is stored. */
static void
close_orphan_changeset (SyncRun       *run,
                        BaliseBatch   *batch,
                        GCancellable  *cancellable)
{
  g_autoptr(GBytes) user = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GPtrArray) changesets = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  gint64 uid = 0;

  if (!(user = api_call (run, "GET", "api/0.6/user/details", NULL, NULL, cancellable, &error)) ||
      !balise_osm_xml_parse_user (user, &uid, NULL, &error))
    {
      g_debug ("Cannot look for the changeset of batch %s: %s", batch->uuid, error->message);
      return;
    }

  path = g_strdup_printf ("api/0.6/changesets?user=%" G_GINT64_FORMAT "&open=true", uid);
  if (!(answer = api_call (run, "GET", path, NULL, NULL, cancellable, &error)) ||
      !(changesets = balise_osm_xml_parse_changesets (answer, &error)))
    {
      g_debug ("Cannot list the open changesets: %s", error->message);
      return;
    }

  for (guint i = 0; i < changesets->len; i++)
    {
      BaliseChangesetInfo *info = g_ptr_array_index (changesets, i);
      g_autofree char *close_path = NULL;
      g_autoptr(GBytes) closed = NULL;
      g_autoptr(GError) close_error = NULL;

      if (g_strcmp0 (balise_tags_lookup (info->tags, "balise:batch"), batch->uuid) != 0)
        continue;

      close_path = g_strdup_printf ("api/0.6/changeset/%" G_GINT64_FORMAT "/close", info->id);
      closed = api_call (run, "PUT", close_path, NULL, NULL, cancellable, &close_error);
      if (closed == NULL)
        g_debug ("Could not close changeset %" G_GINT64_FORMAT ": %s", info->id,
                 close_error->message);
    }
}

static gboolean
recover (SyncRun       *run,
         GCancellable  *cancellable,
         GError       **error)
{
  g_autoptr(GPtrArray) batches = NULL;

  batches = _balise_store_list_unfinished_batches (run->store, run->client->api_url, error);
  if (batches == NULL)
    return FALSE;

  for (guint i = 0; i < batches->len; i++)
    {
      BaliseBatch *batch = g_ptr_array_index (batches, i);
      g_autoptr(GError) close_error = NULL;

      g_debug ("Recovering batch %s (%s)", batch->uuid, balise_batch_state_to_string (batch->state));

      switch (batch->state)
        {
        case BALISE_BATCH_PLANNED:
          /* The changeset may exist, but it is empty. */
          close_orphan_changeset (run, batch, cancellable);
          if (!_balise_store_abandon_batch (run->store, batch->uuid,
                                            "Sync was interrupted; it will be sent again", error))
            return FALSE;
          break;

        case BALISE_BATCH_OPEN:
          if (!close_changeset (run, batch, cancellable, &close_error))
            g_debug ("Could not close changeset: %s", close_error->message);
          if (!_balise_store_abandon_batch (run->store, batch->uuid,
                                            "Sync was interrupted; it will be sent again", error))
            return FALSE;
          break;

        case BALISE_BATCH_UPLOADING:
          if (!recover_uploading (run, batch, cancellable, error))
            return FALSE;
          break;

        case BALISE_BATCH_UPLOADED:
          if (!close_changeset (run, batch, cancellable, error))
            return FALSE;
          break;

        case BALISE_BATCH_CLOSED:
        case BALISE_BATCH_ABANDONED:
        default:
          break;
        }
    }

  return TRUE;
}

static void
sync_thread_run (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  SyncRun *run = task_data;
  g_autoptr(BaliseSyncLock) lock = NULL;
  g_autoptr(GError) error = NULL;

  /* Before anything reads the journal: a second sync of this database
   * would take the first one's batches for abandoned and recover them
   * while they are in flight (DESIGN §4). */
  lock = _balise_sync_lock_acquire (balise_store_get_path (run->store), &error);
  if (lock == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Approved edits and notes, and pending ones when nobody reviews before
   * upload; failed ones were ready before and are sent again. */
  run->edit_ready_mask = balise_store_get_ready_mask (run->store);
  run->note_ready_mask = BALISE_NOTE_STATUS_MASK (BALISE_NOTE_STATUS_APPROVED) |
                         BALISE_NOTE_STATUS_MASK (BALISE_NOTE_STATUS_FAILED);
  if (!balise_store_get_review_before_upload (run->store))
    run->note_ready_mask |= BALISE_NOTE_STATUS_MASK (BALISE_NOTE_STATUS_PENDING);
  run->session = soup_session_new_with_options ("user-agent", "Balise/" PACKAGE_VERSION " ",
                                                "timeout", run->client->timeout,
                                                NULL);

  /* No comment given: what the edits do, "3 bus stops added in Monaco". */
  if (run->comment == NULL)
    {
      g_autoptr(GPtrArray) ready = balise_store_list_ready_edits (run->store, NULL);

      if (ready != NULL && ready->len > 0)
        run->comment = balise_store_summarize_edits (run->store, ready);
      if (run->comment == NULL || *run->comment == '\0')
        {
          g_free (run->comment);
          run->comment = g_strdup ("Survey with Balise");
        }
    }

  /* The project's hashtags end the comment, and the hashtags tag repeats
   * them; a comment OSM would refuse is refused before anything is sent. */
  if (run->hashtags != NULL)
    {
      char *with_hashtags = balise_changeset_comment_add_hashtags (run->comment,
                                                                   (const char * const *) run->hashtags);

      g_free (run->comment);
      run->comment = with_hashtags;
    }
  if (!balise_changeset_comment_validate (run->comment, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Notes travel apart from changesets, and anonymously when nobody is
   * signed in: they go first, so a refused changeset does not hold them. */
  g_debug ("Sync started");
  if (!balise_sync_check_server_url (run->client->api_url, &error) ||
      !fetch_capabilities (run, cancellable, &error) ||
      !recover (run, cancellable, &error) ||
      !_balise_sync_recover_notes (run, cancellable, &error) ||
      !_balise_sync_refresh_notes (run, cancellable, &error) ||
      !_balise_sync_send_notes (run, cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  for (;;)
    {
      g_autoptr(BaliseBatch) batch = NULL;
      gint64 span = g_get_monotonic_time ();

      batch = _balise_store_plan_batch (run->store, run->client->api_url, run->edit_ready_mask,
                                        MAX (run->capabilities.changeset_maximum_elements, 1),
                                        run->comment, &error);
      if (batch == NULL)
        break;
      g_debug ("Batch of %u edits planned in %.3f s", batch->element_count,
               (g_get_monotonic_time () - span) / 1e6);

      if (!send_batch (run, batch, cancellable, &error))
        break;
    }

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_memdup2 (&run->report, sizeof run->report), g_free);
}

/*
 * GObject
 */

static void
balise_sync_client_finalize (GObject *object)
{
  BaliseSyncClient *self = (BaliseSyncClient *)object;

  g_free (self->api_url);
  g_free (self->token);
  g_strfreev (self->hashtags);

  G_OBJECT_CLASS (balise_sync_client_parent_class)->finalize (object);
}

static void
balise_sync_client_class_init (BaliseSyncClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = balise_sync_client_finalize;
}

static void
balise_sync_client_init (BaliseSyncClient *self)
{
  self->timeout = 120;
}

/*
 * Public API
 */

BaliseSyncClient *
balise_sync_client_new (const char *api_url,
                        const char *token)
{
  BaliseSyncClient *self;

  g_return_val_if_fail (api_url != NULL, NULL);

  self = g_object_new (BALISE_TYPE_SYNC_CLIENT, NULL);
  self->api_url = g_str_has_suffix (api_url, "/") ? g_strdup (api_url)
                                                  : g_strconcat (api_url, "/", NULL);
  self->token = (token != NULL && *token != '\0') ? g_strdup (token) : NULL;
  return self;
}

const char *
balise_sync_client_get_api_url (BaliseSyncClient *self)
{
  g_return_val_if_fail (BALISE_IS_SYNC_CLIENT (self), NULL);
  return self->api_url;
}

/**
 * balise_sync_client_set_timeout:
 * @seconds: how long to wait for an answer, at least 1
 *
 * A request that gets no answer in time counts as unanswered: it may still
 * land on the server, and the next sync finds out before sending it again.
 */
void
balise_sync_client_set_timeout (BaliseSyncClient *self,
                                guint             seconds)
{
  g_return_if_fail (BALISE_IS_SYNC_CLIENT (self));
  g_return_if_fail (seconds > 0);

  self->timeout = seconds;
}

/**
 * balise_sync_client_set_hashtags:
 * @hashtags: (nullable): the project's hashtags, e.g. "#balise #monaco-stops"
 *
 * Every changeset comment of the next syncs ends with these hashtags (those
 * it does not hold already), and the `hashtags` changeset tag lists them.
 *
 * Returns: %FALSE with BALISE_SYNC_ERROR_INVALID, changing nothing, when a
 * word is not a hashtag
 */
gboolean
balise_sync_client_set_hashtags (BaliseSyncClient  *self,
                                 const char        *hashtags,
                                 GError           **error)
{
  g_auto(GStrv) parsed = NULL;

  g_return_val_if_fail (BALISE_IS_SYNC_CLIENT (self), FALSE);

  if (hashtags != NULL && !(parsed = balise_hashtags_parse (hashtags, error)))
    return FALSE;

  g_strfreev (self->hashtags);
  self->hashtags = (parsed != NULL && parsed[0] != NULL) ? g_steal_pointer (&parsed) : NULL;
  return TRUE;
}

/**
 * balise_sync_client_set_credit_contributors:
 *
 * Whether each changeset names the people whose edits it carries in the
 * BALISE_CHANGESET_CREDITS_KEY tag (off by default: the names are local
 * profiles, and a coordinator decides to publish them).
 */
void
balise_sync_client_set_credit_contributors (BaliseSyncClient *self,
                                            gboolean          credit)
{
  g_return_if_fail (BALISE_IS_SYNC_CLIENT (self));

  self->credit = !!credit;
}

const char *
_balise_sync_client_get_token (BaliseSyncClient *self)
{
  return self->token;
}

guint
_balise_sync_client_get_timeout (BaliseSyncClient *self)
{
  return self->timeout;
}

/**
 * balise_sync_client_sync_async:
 * @comment: (nullable): the changeset comment; a summary is written if %NULL
 *
 * Settles any unfinished batch with the server, then uploads every ready
 * edit in changesets of at most the server's maximum_elements.
 */
/* The sync reads what it wrote a moment before (its batch after each
 * conflict or merge): on a connection of its own, never on the one the
 * main thread reads on, where a statement of the window left open would
 * keep an older snapshot for both. */
static void
sync_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SyncRun *run = task_data;
  g_autoptr(GError) error = NULL;

  if (!_balise_store_begin_thread_reads (run->store, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  sync_thread_run (task, source_object, task_data, cancellable);
  _balise_store_end_thread_reads (run->store);
}

void
balise_sync_client_sync_async (BaliseSyncClient    *self,
                               BaliseStore         *store,
                               const char          *comment,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SyncRun *run;

  g_return_if_fail (BALISE_IS_SYNC_CLIENT (self));
  g_return_if_fail (BALISE_IS_STORE (store));

  run = g_new0 (SyncRun, 1);
  run->client = g_object_ref (self);
  run->store = g_object_ref (store);
  run->comment = (comment != NULL && *comment != '\0') ? g_strdup (comment) : NULL;
  run->hashtags = g_strdupv (self->hashtags);
  run->credit = self->credit;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, balise_sync_client_sync_async);
  g_task_set_task_data (task, run, (GDestroyNotify) sync_run_free);
  g_task_run_in_thread (task, sync_thread);
}

BaliseSyncReport *
balise_sync_client_sync_finish (BaliseSyncClient  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  g_return_val_if_fail (BALISE_IS_SYNC_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
