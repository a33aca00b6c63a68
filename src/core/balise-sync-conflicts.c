/* balise-sync-conflicts.c: an upload refused because of one element
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-sync"

#include "config.h"

#include <math.h>

#include "balise-store-conflicts.h"
#include "balise-sync-client-private.h"

/* The API's messages (PLATFORM.md §3; lib/osm.rb in openstreetmap-website,
 * with identical texts in cgimap). */
#define MISMATCH_PATTERN  "Version mismatch: Provided \\d+, server had: (\\d+) of (Node|Way|Relation) (-?\\d+)"
#define GONE_PATTERN      "The (node|way|relation) with the id (\\d+) has already been deleted"
#define IN_USE_PATTERN    "Precondition failed: (Node|Way|Relation) (\\d+) is still used by " \
                          "(ways|relations) ([-\\d,]+)"
#define REQUIRES_PATTERN  "Precondition failed: (Way|Relation) (-?\\d+) requires the " \
                          "(nodes|ways|relations) with id in \\(([^)]*)\\)"

/* Matches @pattern in @message; @groups gets the captures (free with g_strfreev). */
static gboolean
match (const char   *pattern,
       const char   *message,
       char       ***groups)
{
  g_autoptr(GRegex) regex = g_regex_new (pattern, G_REGEX_CASELESS, 0, NULL);
  g_autoptr(GMatchInfo) info = NULL;

  g_assert (regex != NULL);
  if (!g_regex_match (regex, message, 0, &info))
    return FALSE;
  *groups = g_match_info_fetch_all (info);
  return TRUE;
}

static BaliseEdit *
find_edit (GPtrArray  *edits,
           const char *type_name,
           const char *id_text)
{
  g_autofree char *type_lower = g_ascii_strdown (type_name, -1);
  BaliseOsmType type;
  gint64 id;

  if (!balise_osm_type_from_string (type_lower, &type) ||
      !g_ascii_string_to_signed (id_text, 10, G_MININT64, G_MAXINT64, &id, NULL))
    return NULL;

  for (guint i = 0; i < edits->len; i++)
    {
      BaliseEdit *edit = g_ptr_array_index (edits, i);

      if (edit->osm_type == type && edit->osm_id == id)
        return edit;
    }
  return NULL;
}

/* "7,8" → "7, 8" */
static char *
list_ids (const char *ids)
{
  g_auto(GStrv) parts = g_strsplit (ids, ",", -1);

  return g_strjoinv (", ", parts);
}

static gboolean
make_conflict (BaliseSyncRun  *run,
               BaliseBatch    *batch,
               BaliseEdit     *edit,
               BaliseEdit     *server,
               gboolean        deleted,
               const char     *message,
               GError        **error)
{
  g_debug ("Conflict on %s %" G_GINT64_FORMAT ": %s", balise_osm_type_to_string (edit->osm_type),
           edit->osm_id, message);
  if (!_balise_store_batch_conflict (run->store, batch->uuid, edit->uuid, server, deleted, message,
                                     error))
    return FALSE;
  run->report.conflicts++;
  return TRUE;
}

static gboolean
same_place (double lat_a,
            double lon_a,
            double lat_b,
            double lon_b)
{
  return fabs (lat_a - lat_b) < 1e-7 && fabs (lon_a - lon_b) < 1e-7;
}

/* Three-way merge of the edit with the server's version: a clean one
 * replaces the edit in the batch, anything else is a conflict. */
static gboolean
merge_with_server (BaliseSyncRun  *run,
                   BaliseBatch    *batch,
                   BaliseEdit     *edit,
                   BaliseEdit     *server,
                   GError        **error)
{
  g_autoptr(BaliseEdit) replacement = balise_edit_new (edit->kind);
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GString) message = g_string_new (NULL);
  gboolean clean;
  double base_lat, base_lon, lat = edit->lat, lon = edit->lon;

  replacement->osm_type = edit->osm_type;
  replacement->osm_id = edit->osm_id;
  replacement->base_version = server->base_version;
  replacement->base_tags = balise_tags_copy (server->new_tags);

  if (edit->kind == BALISE_EDIT_DELETE)
    {
      /* A delete still holds if the server's changes touched nothing. */
      clean = balise_tags_equal (server->new_tags, edit->base_tags) &&
              (edit->osm_type != BALISE_OSM_NODE ||
               same_place (server->lat, server->lon, edit->lat, edit->lon));
      replacement->lat = server->lat;
      replacement->lon = server->lon;
      g_string_printf (message, "Changed on the server (version %" G_GINT64_FORMAT
                       ") after it was deleted here", server->base_version);
    }
  else
    {
      clean = balise_tags_merge3 (edit->base_tags, edit->new_tags, server->new_tags,
                                  &replacement->new_tags, &conflicts);
      g_string_printf (message, "Changed on the server too (version %" G_GINT64_FORMAT ")",
                       server->base_version);
      for (guint i = 0; conflicts != NULL && i < conflicts->len; i++)
        {
          BaliseTagConflict *conflict = g_ptr_array_index (conflicts, i);

          g_string_append_printf (message, "%s%s", i == 0 ? ": " : ", ", conflict->key);
        }

      if (edit->osm_type == BALISE_OSM_NODE)
        {
          _balise_store_base_position (run->store, edit, &base_lat, &base_lon);
          if (!balise_position_merge3 (base_lat, base_lon, edit->lat, edit->lon,
                                       server->lat, server->lon, &lat, &lon))
            {
              clean = FALSE;
              g_string_append (message, (conflicts != NULL && conflicts->len > 0)
                                          ? ", and its position" : ": its position");
            }
        }
      replacement->lat = lat;
      replacement->lon = lon;
    }

  if (!clean)
    return make_conflict (run, batch, edit, server, FALSE, message->str, error);

  g_debug ("Merged %s %" G_GINT64_FORMAT " with version %" G_GINT64_FORMAT " on the server",
           balise_osm_type_to_string (edit->osm_type), edit->osm_id, server->base_version);
  if (!_balise_store_batch_replace (run->store, batch->uuid, edit->uuid, replacement, error))
    return FALSE;
  run->report.merged++;
  return TRUE;
}

static gboolean
settle_mismatch (BaliseSyncRun  *run,
                 BaliseBatch    *batch,
                 BaliseEdit     *edit,
                 GCancellable   *cancellable,
                 GError        **error)
{
  g_autofree char *path = g_strdup_printf ("api/0.6/%s/%" G_GINT64_FORMAT,
                                           balise_osm_type_to_string (edit->osm_type),
                                           edit->osm_id);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(BaliseEdit) server = NULL;
  g_autoptr(GError) local_error = NULL;

  answer = _balise_sync_api_call (run, "GET", path, NULL, NULL, NULL, cancellable, &local_error);
  if (answer == NULL)
    {
      if (g_error_matches (local_error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_GONE))
        return make_conflict (run, batch, edit, NULL, TRUE, "Deleted on the server", error);
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  "Could not read the server's version of %s: ",
                                  balise_edit_describe (edit));
      return FALSE;
    }

  server = balise_osm_xml_parse_element (answer, error);
  if (server == NULL)
    return FALSE;
  if (server->osm_type != edit->osm_type || server->osm_id != edit->osm_id)
    {
      g_set_error (error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_BAD_RESPONSE,
                   "The server answered %s %" G_GINT64_FORMAT " for %s",
                   balise_osm_type_to_string (server->osm_type), server->osm_id, path);
      return FALSE;
    }

  return merge_with_server (run, batch, edit, server, error);
}

gboolean
_balise_sync_settle_with_server (BaliseSyncRun  *run,
                                 BaliseBatch    *batch,
                                 BaliseEdit     *edit,
                                 BaliseEdit     *server,
                                 GError        **error)
{
  if (server == NULL || server->kind == BALISE_EDIT_DELETE)
    return make_conflict (run, batch, edit, NULL, TRUE, "Deleted on the server", error);
  return merge_with_server (run, batch, edit, server, error);
}

gboolean
_balise_sync_settle_refusal (BaliseSyncRun  *run,
                             BaliseBatch    *batch,
                             GPtrArray      *edits,
                             const GError   *refusal,
                             GCancellable   *cancellable,
                             GError        **error)
{
  g_auto(GStrv) groups = NULL;
  BaliseEdit *edit;

  if (refusal->domain != BALISE_SYNC_ERROR)
    return FALSE;

  switch (refusal->code)
    {
    case BALISE_SYNC_ERROR_CONFLICT:
      if (!match (MISMATCH_PATTERN, refusal->message, &groups) ||
          (edit = find_edit (edits, groups[2], groups[3])) == NULL ||
          edit->kind == BALISE_EDIT_CREATE)
        return FALSE;
      return settle_mismatch (run, batch, edit, cancellable, error);

    case BALISE_SYNC_ERROR_GONE:
      if (!match (GONE_PATTERN, refusal->message, &groups) ||
          (edit = find_edit (edits, groups[1], groups[2])) == NULL)
        return FALSE;
      return make_conflict (run, batch, edit, NULL, TRUE, "Deleted on the server", error);

    case BALISE_SYNC_ERROR_PRECONDITION:
      if (match (IN_USE_PATTERN, refusal->message, &groups) &&
          (edit = find_edit (edits, groups[1], groups[2])) != NULL)
        {
          g_autofree char *ids = list_ids (groups[4]);
          gboolean one = strchr (groups[4], ',') == NULL;
          g_autofree char *users = one ? g_strndup (groups[3], strlen (groups[3]) - 1)
                                       : g_strdup (groups[3]);
          g_autofree char *message = g_strdup_printf ("%s %s is still used by %s %s on the server: "
                                                      "it cannot be deleted while %s",
                                                      groups[1], groups[2], users, ids,
                                                      one ? "it uses it" : "they use it");

          return make_conflict (run, batch, edit, NULL, FALSE, message, error);
        }
      g_clear_pointer (&groups, g_strfreev);
      if (match (REQUIRES_PATTERN, refusal->message, &groups) &&
          (edit = find_edit (edits, groups[1], groups[2])) != NULL)
        {
          g_autofree char *ids = list_ids (groups[4]);
          g_autofree char *message = g_strdup_printf ("%s %s uses %s %s, which are no longer on "
                                                      "the server", groups[1], groups[2],
                                                      groups[3], ids);

          return make_conflict (run, batch, edit, NULL, FALSE, message, error);
        }
      return FALSE;

    default:
      return FALSE;
    }
}
