/* balise-core-types.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-core"

#include "config.h"

#include "balise-core-types.h"

G_DEFINE_QUARK (balise-store-error-quark, balise_store_error)
G_DEFINE_QUARK (balise-osm-error-quark, balise_osm_error)
G_DEFINE_QUARK (balise-sync-error-quark, balise_sync_error)

static const char * const osm_type_names[] = { "node", "way", "relation" };
static const char * const edit_kind_names[] = { "create", "modify", "delete", "note" };
static const char * const edit_status_names[] = {
  "draft", "pending", "approved", "rejected", "uploading", "uploaded", "conflict", "failed",
  "undone", "has_issues",
};

G_STATIC_ASSERT (G_N_ELEMENTS (edit_status_names) == BALISE_EDIT_STATUS_LAST + 1);

static gboolean
lookup_name (const char * const *names,
             guint               n_names,
             const char         *str,
             int                *value)
{
  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < n_names; i++)
    {
      if (g_str_equal (names[i], str))
        {
          *value = (int) i;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
balise_osm_type_to_string (BaliseOsmType type)
{
  g_return_val_if_fail (type <= BALISE_OSM_RELATION, NULL);
  return osm_type_names[type];
}

gboolean
balise_osm_type_from_string (const char    *str,
                             BaliseOsmType *type)
{
  int value;

  if (!lookup_name (osm_type_names, G_N_ELEMENTS (osm_type_names), str, &value))
    return FALSE;
  *type = (BaliseOsmType) value;
  return TRUE;
}

const char *
balise_edit_kind_to_string (BaliseEditKind kind)
{
  g_return_val_if_fail (kind <= BALISE_EDIT_NOTE, NULL);
  return edit_kind_names[kind];
}

gboolean
balise_edit_kind_from_string (const char     *str,
                              BaliseEditKind *kind)
{
  int value;

  if (!lookup_name (edit_kind_names, G_N_ELEMENTS (edit_kind_names), str, &value))
    return FALSE;
  *kind = (BaliseEditKind) value;
  return TRUE;
}

const char *
balise_edit_status_to_string (BaliseEditStatus status)
{
  g_return_val_if_fail (status <= BALISE_EDIT_STATUS_LAST, NULL);
  return edit_status_names[status];
}

gboolean
balise_edit_status_from_string (const char       *str,
                                BaliseEditStatus *status)
{
  int value;

  if (!lookup_name (edit_status_names, G_N_ELEMENTS (edit_status_names), str, &value))
    return FALSE;
  *status = (BaliseEditStatus) value;
  return TRUE;
}
