/* balise-edit.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-edit"

#include "config.h"

#include "balise-edit.h"

G_DEFINE_BOXED_TYPE (BaliseEdit, balise_edit, balise_edit_ref, balise_edit_unref)

BaliseEdit *
balise_edit_new (BaliseEditKind kind)
{
  BaliseEdit *self = g_new0 (BaliseEdit, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->kind = kind;
  self->osm_type = BALISE_OSM_NODE;
  self->status = BALISE_EDIT_STATUS_PENDING;
  return self;
}

BaliseEdit *
balise_edit_ref (BaliseEdit *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
balise_edit_unref (BaliseEdit *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->uuid);
  g_clear_pointer (&self->base_tags, balise_tags_unref);
  g_clear_pointer (&self->new_tags, balise_tags_unref);
  g_free (self->contributor);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_free (self->batch);
  g_free (self->error);
  g_free (self->reason);
  g_free (self->preset);
  g_free (self->edited_by);
  g_free (self->reviewer);
  g_free (self->review_comment);
  g_clear_pointer (&self->reviewed_at, g_date_time_unref);
  g_clear_pointer (&self->way_nodes, g_array_unref);
  g_free (self);
}

/**
 * balise_edit_describe:
 *
 * Returns: a short label for lists: the name or ref tag, or the kind.
 */
const char *
balise_edit_describe (BaliseEdit *self)
{
  BaliseTags *tags;
  const char *label;

  g_return_val_if_fail (self != NULL, NULL);

  tags = self->new_tags ? self->new_tags : self->base_tags;
  if (tags != NULL)
    {
      if ((label = balise_tags_lookup (tags, "name")) != NULL)
        return label;
      if ((label = balise_tags_lookup (tags, "ref")) != NULL)
        return label;
    }

  return balise_edit_kind_to_string (self->kind);
}
