/* balise-store-journal.h: changing existing elements, and undo/redo
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-store.h"

G_BEGIN_DECLS

/**
 * BaliseChangeKind:
 *
 * What a volunteer does to an element that is already there.
 */
typedef enum
{
  BALISE_CHANGE_TAGS,          /* set some tags and remove others (a form) */
  BALISE_CHANGE_REPLACE_TAGS,  /* the whole tag list (the raw tag editor) */
  BALISE_CHANGE_CONFIRM,       /* unchanged, seen on a day: check_date */
  BALISE_CHANGE_MOVE,          /* a new position */
  BALISE_CHANGE_DELETE,        /* gone, with the reason */
} BaliseChangeKind;

/**
 * BaliseChange:
 *
 * A change to one element, applied to its effective state (the base copy
 * with the journal's standing edit of it). The fields a kind does not use
 * are ignored.
 */
typedef struct
{
  BaliseChangeKind  kind;
  BaliseOsmType     osm_type;
  gint64            osm_id;        /* negative: a point created here */
  char             *contributor;   /* required: who made the change */
  char             *preset;        /* the form's preset, or NULL */
  BaliseTags       *tags;          /* TAGS: set; REPLACE_TAGS: the whole list */
  GStrv             remove_keys;   /* TAGS: keys to remove */
  char             *date;          /* CONFIRM: YYYY-MM-DD; NULL for today */
  double            lat;           /* MOVE */
  double            lon;
  char             *reason;        /* DELETE: required */
} BaliseChange;

BaliseChange *balise_change_new                  (BaliseChangeKind      kind,
                                                  BaliseOsmType         osm_type,
                                                  gint64                osm_id,
                                                  const char           *contributor);
BaliseChange *balise_change_copy                 (const BaliseChange   *change);
void          balise_change_free                 (BaliseChange         *change);

/* Records @change as one edit of the journal: a modify (or delete) with the
 * base version and tags of the server's copy, or, for a point created here
 * and not uploaded yet, a new version of its create. The new edit carries
 * the whole change from the server's version, so it supersedes any earlier
 * standing edit of the element in the effective state and in uploads.
 * Refused with BALISE_STORE_ERROR_INVALID when it changes nothing, breaks
 * OSM's tag rules, or lacks its contributor or (deletes) its reason. */
BaliseEdit   *balise_store_change_element        (BaliseStore          *self,
                                                  const BaliseChange   *change,
                                                  GError              **error);
void          balise_store_change_element_async  (BaliseStore          *self,
                                                  const BaliseChange   *change,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
BaliseEdit   *balise_store_change_element_finish (BaliseStore          *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

/* Shorthands for balise_store_change_element(). */
BaliseEdit   *balise_store_confirm_element       (BaliseStore          *self,
                                                  BaliseOsmType         osm_type,
                                                  gint64                osm_id,
                                                  const char           *contributor,
                                                  GError              **error);
BaliseEdit   *balise_store_move_element          (BaliseStore          *self,
                                                  BaliseOsmType         osm_type,
                                                  gint64                osm_id,
                                                  double                lat,
                                                  double                lon,
                                                  const char           *contributor,
                                                  GError              **error);
BaliseEdit   *balise_store_delete_element        (BaliseStore          *self,
                                                  BaliseOsmType         osm_type,
                                                  gint64                osm_id,
                                                  const char           *reason,
                                                  const char           *contributor,
                                                  GError              **error);

/* Undo takes back what @contributor recorded last, an edit or a note
 * (fault), that still stands and is not on the server (it becomes undone);
 * an uploaded or uploading one is refused with BALISE_STORE_ERROR_UPLOADED.
 * Redo makes the entry undone last pending again. Recording something new
 * empties the redo history. Both live in the database, so they survive a
 * restart. Nothing to undo or redo is BALISE_STORE_ERROR_NOT_FOUND. The
 * entry returned is the edit, or for a note an entry of kind
 * BALISE_EDIT_NOTE with the note's uuid, position, contributor, created_at,
 * status (undone or pending), category as preset and text as reason. */
BaliseEdit   *balise_store_undo                  (BaliseStore          *self,
                                                  const char           *contributor,
                                                  GError              **error);
BaliseEdit   *balise_store_redo                  (BaliseStore          *self,
                                                  const char           *contributor,
                                                  GError              **error);
void          balise_store_undo_async            (BaliseStore          *self,
                                                  const char           *contributor,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
void          balise_store_redo_async            (BaliseStore          *self,
                                                  const char           *contributor,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
/* For both undo and redo. */
BaliseEdit   *balise_store_undo_redo_finish      (BaliseStore          *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);
/* Whether undo or redo would do something, for the buttons. */
gboolean      balise_store_can_undo              (BaliseStore          *self,
                                                  const char           *contributor);
gboolean      balise_store_can_redo              (BaliseStore          *self,
                                                  const char           *contributor);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BaliseChange, balise_change_free)

G_END_DECLS
