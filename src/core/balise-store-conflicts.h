/* balise-store-conflicts.h: edits the server's version disagrees with
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-store.h"
#include "balise-tag-merge.h"

G_BEGIN_DECLS

/**
 * BaliseConflict:
 *
 * An edit in conflict and the server's version it disagrees with, for a
 * person to decide: "mine" is the edit, "theirs" the server's version and
 * the base what the edit started from.
 */
typedef struct
{
  BaliseEdit *edit;               /* ours; base_version and base_tags are the base */
  gboolean    server_deleted;     /* deleted on the server */
  gint64      server_version;     /* 0 when unknown */
  BaliseTags *server_tags;        /* NULL when deleted or unknown */
  double      server_lat;         /* NAN when unknown */
  double      server_lon;
  GPtrArray  *tag_conflicts;      /* of BaliseTagConflict: keys changed both ways */
  BaliseTags *merged;             /* the merge, theirs on the conflicting keys */
  gboolean    position_conflict;  /* both moved it, to different places */
} BaliseConflict;

void            balise_conflict_free         (BaliseConflict *conflict);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BaliseConflict, balise_conflict_free)

typedef enum
{
  BALISE_CONFLICT_KEEP_MINE,     /* send my edit again, over the server's version */
  BALISE_CONFLICT_KEEP_THEIRS,   /* drop my edit; the server's version stays */
  BALISE_CONFLICT_DECIDE_TAGS,   /* merge, choosing per conflicting key */
} BaliseConflictChoice;

/* Reads the conflict of the edit @uuid (status conflict): the server's
 * version comes from what sync recorded, or from the base copy a download
 * refreshed. */
BaliseConflict *balise_store_get_conflict    (BaliseStore          *self,
                                              const char           *uuid,
                                              GError              **error);

/* Settles the conflict of the edit @uuid, in one transaction. The edit
 * itself is never rewritten: it becomes rejected, with the reason in its
 * error, and what is to be sent is a new approved edit based on the
 * server's version (kept mine, or decided per key: @keep_mine lists the
 * keys where mine wins, and @keep_my_position says whose position wins
 * when both moved it). Keeping mine over an element deleted on the server
 * sends a new node. Keeping theirs sends nothing and refreshes the base
 * copy. @resolved_by is credited as edited_by. @new_uuid gets the new
 * edit's uuid, or NULL when nothing is to be sent. */
gboolean        balise_store_resolve_conflict (BaliseStore          *self,
                                               const char           *uuid,
                                               BaliseConflictChoice  choice,
                                               const char * const   *keep_mine,
                                               gboolean              keep_my_position,
                                               const char           *resolved_by,
                                               char                **new_uuid,
                                               GError              **error);
void            balise_store_resolve_conflict_async  (BaliseStore          *self,
                                                      const char           *uuid,
                                                      BaliseConflictChoice  choice,
                                                      const char * const   *keep_mine,
                                                      gboolean              keep_my_position,
                                                      const char           *resolved_by,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gboolean        balise_store_resolve_conflict_finish (BaliseStore          *self,
                                                      GAsyncResult         *result,
                                                      char                **new_uuid,
                                                      GError              **error);

/* For sync: the server refused the batch's upload because of the element
 * of @edit_uuid, so nothing of it landed. In one transaction: the edit
 * leaves the batch as a conflict holding the server's version (@server, a
 * carrier as balise_osm_xml_parse_element() returns; NULL when deleted or
 * unknown) and @message, and the batch is open again for the others. */
gboolean        _balise_store_batch_conflict  (BaliseStore          *self,
                                               const char           *batch_uuid,
                                               const char           *edit_uuid,
                                               BaliseEdit           *server,
                                               gboolean              server_deleted,
                                               const char           *message,
                                               GError              **error);
/* The same when the server's changes merged cleanly with the edit: it is
 * replaced in the batch by @replacement (based on the server's version),
 * which gets its uuid and id. */
gboolean        _balise_store_batch_replace   (BaliseStore          *self,
                                               const char           *batch_uuid,
                                               const char           *edit_uuid,
                                               BaliseEdit           *replacement,
                                               GError              **error);

/* Where the edit's element was at its base version, when the base copy
 * still has that version; NAN otherwise. */
void            _balise_store_base_position   (BaliseStore          *self,
                                               BaliseEdit           *edit,
                                               double               *lat,
                                               double               *lon);

G_END_DECLS
