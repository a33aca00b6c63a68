/* balise-edit.h
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-core-types.h"
#include "balise-tags.h"

G_BEGIN_DECLS

#define BALISE_TYPE_EDIT (balise_edit_get_type ())

/**
 * BaliseEdit:
 *
 * One entry of the local edit journal (DESIGN §3). Creates target a stable
 * negative local id that is used as the osmChange placeholder; after upload
 * @new_id and @new_version hold what the server allocated.
 */
struct _BaliseEdit
{
  /*< public >*/
  gint64            id;            /* journal row id, 0 until stored */
  char             *uuid;
  BaliseEditKind    kind;
  BaliseOsmType     osm_type;
  gint64            osm_id;        /* negative for a create */
  gint64            base_version;  /* 0 for a create */
  BaliseTags       *base_tags;     /* NULL for a create */
  BaliseTags       *new_tags;      /* NULL for a delete */
  double            lat;
  double            lon;
  char             *contributor;
  GDateTime        *created_at;
  BaliseEditStatus  status;
  char             *batch;         /* batch uuid, NULL until planned */
  gint64            new_id;        /* 0 until uploaded */
  gint64            new_version;   /* 0 until uploaded */
  char             *error;
  char             *reason;        /* why it was deleted, or rejected */
  char             *preset;        /* the preset of the form, or NULL */
  char             *edited_by;     /* a reviewer who changed it, credited too */
  char             *reviewer;      /* who approved, rejected or sent it back */
  char             *review_comment;
  GDateTime        *reviewed_at;
  /* A way's node ids (gint64) as the server has them: read from the
   * server while syncing a way modify, never stored; NULL otherwise. */
  GArray           *way_nodes;

  /*< private >*/
  gatomicrefcount   ref_count;
};

GType        balise_edit_get_type  (void) G_GNUC_CONST;
BaliseEdit  *balise_edit_new       (BaliseEditKind  kind);
BaliseEdit  *balise_edit_ref       (BaliseEdit     *self);
void         balise_edit_unref     (BaliseEdit     *self);
const char  *balise_edit_describe  (BaliseEdit     *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BaliseEdit, balise_edit_unref)

G_END_DECLS
