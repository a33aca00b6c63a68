/* balise-sync-ways.c: the node list a way modify must carry
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-sync"

#include "config.h"

#include "balise-sync-client-private.h"

/* Ways asked for in one `GET /api/0.6/ways?ways=…`: keeps the address
 * well under the 8 KB that servers and proxies take. */
#define WAYS_PER_REQUEST 300

static gboolean
is_way_modify (BaliseEdit *edit)
{
  return edit->kind == BALISE_EDIT_MODIFY && edit->osm_type == BALISE_OSM_WAY && edit->osm_id > 0;
}

/* Reads the ways @ids (gint64 *) into @found (osm id → carrier). A 404
 * means one of them does not exist and refuses the whole answer: each is
 * then asked for alone, and one the server does not know is left out. */
static gboolean
fetch_ways (BaliseSyncRun  *run,
            GPtrArray      *ids,
            GHashTable     *found,
            GCancellable   *cancellable,
            GError        **error)
{
  g_autoptr(GString) path = g_string_new ("api/0.6/ways?ways=");
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GPtrArray) elements = NULL;
  g_autoptr(GError) local_error = NULL;

  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (path, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "",
                            *(gint64 *) g_ptr_array_index (ids, i));

  answer = _balise_sync_api_call (run, "GET", path->str, NULL, NULL, NULL, cancellable,
                                  &local_error);
  if (answer == NULL)
    {
      if (!g_error_matches (local_error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_NOT_FOUND) ||
          ids->len == 1)
        {
          /* One way alone that the server does not know: left out of
           * @found, it is settled as deleted. */
          if (g_error_matches (local_error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_NOT_FOUND))
            return TRUE;
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                      "Could not read the ways to modify from the server: ");
          return FALSE;
        }

      for (guint i = 0; i < ids->len; i++)
        {
          g_autoptr(GPtrArray) one = g_ptr_array_new ();

          g_ptr_array_add (one, g_ptr_array_index (ids, i));
          if (!fetch_ways (run, one, found, cancellable, error))
            return FALSE;
        }
      return TRUE;
    }

  elements = balise_osm_xml_parse_elements (answer, error);
  if (elements == NULL)
    {
      g_prefix_error (error, "The server's ways are unreadable: ");
      return FALSE;
    }

  for (guint i = 0; i < elements->len; i++)
    {
      BaliseEdit *element = g_ptr_array_index (elements, i);

      if (element->osm_type == BALISE_OSM_WAY)
        g_hash_table_replace (found, &element->osm_id, balise_edit_ref (element));
    }
  return TRUE;
}

gboolean
_balise_sync_fill_way_nodes (BaliseSyncRun  *run,
                             BaliseBatch    *batch,
                             GPtrArray      *edits,
                             gboolean       *settled,
                             GCancellable   *cancellable,
                             GError        **error)
{
  g_autoptr(GHashTable) found = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                                       (GDestroyNotify) balise_edit_unref);
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();

  *settled = FALSE;

  for (guint i = 0; i <= edits->len; i++)
    {
      BaliseEdit *edit = i < edits->len ? g_ptr_array_index (edits, i) : NULL;

      if (edit != NULL && is_way_modify (edit))
        g_ptr_array_add (ids, &edit->osm_id);

      if (ids->len > 0 && (ids->len == WAYS_PER_REQUEST || edit == NULL))
        {
          if (!fetch_ways (run, ids, found, cancellable, error))
            return FALSE;
          g_ptr_array_set_size (ids, 0);
        }
    }

  for (guint i = 0; i < edits->len; i++)
    {
      BaliseEdit *edit = g_ptr_array_index (edits, i);
      BaliseEdit *server;

      if (!is_way_modify (edit))
        continue;

      server = g_hash_table_lookup (found, &edit->osm_id);
      if (server != NULL && server->kind != BALISE_EDIT_DELETE &&
          server->base_version == edit->base_version)
        {
          g_clear_pointer (&edit->way_nodes, g_array_unref);
          edit->way_nodes = g_array_ref (server->way_nodes);
          continue;
        }

      if (server != NULL && server->kind != BALISE_EDIT_DELETE &&
          server->base_version < edit->base_version)
        {
          g_set_error (error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_BAD_RESPONSE,
                       "The server has version %" G_GINT64_FORMAT " of way %" G_GINT64_FORMAT
                       ", older than the version %" G_GINT64_FORMAT " it was edited from",
                       server->base_version, edit->osm_id, edit->base_version);
          return FALSE;
        }

      /* Changed or deleted on the server since: merged, or a conflict. */
      if (!_balise_sync_settle_with_server (run, batch, edit, server, error))
        return FALSE;
      *settled = TRUE;
    }

  return TRUE;
}
