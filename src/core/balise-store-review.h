/* balise-store-review.h: the coordinator's decisions before upload
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-store-journal.h"

G_BEGIN_DECLS

/**
 * BaliseReviewDecision:
 *
 * What a reviewer decides about an edit or a note.
 */
typedef enum
{
  BALISE_REVIEW_APPROVE,      /* ready to upload */
  BALISE_REVIEW_REJECT,       /* never uploaded; the reason is kept */
  BALISE_REVIEW_HAS_ISSUES,   /* back to the volunteer, with a comment */
} BaliseReviewDecision;

const char *balise_review_decision_to_string (BaliseReviewDecision  decision);

/* Decides on the edits (or the notes) @uuids, all in one transaction: if one
 * of them cannot take the decision (unknown, already uploaded, undone…),
 * none changes and the error names it. Rejecting and sending back need a
 * @comment (the reason, shown to the volunteer); it is optional for an
 * approval. The reviewer and the time are recorded with each. */
gboolean    balise_store_review_edits        (BaliseStore           *self,
                                              const char * const    *uuids,
                                              BaliseReviewDecision   decision,
                                              const char            *reviewer,
                                              const char            *comment,
                                              GError               **error);
void        balise_store_review_edits_async  (BaliseStore           *self,
                                              const char * const    *uuids,
                                              BaliseReviewDecision   decision,
                                              const char            *reviewer,
                                              const char            *comment,
                                              GCancellable          *cancellable,
                                              GAsyncReadyCallback    callback,
                                              gpointer               user_data);
gboolean    balise_store_review_edits_finish (BaliseStore           *self,
                                              GAsyncResult          *result,
                                              GError               **error);
gboolean    balise_store_review_notes        (BaliseStore           *self,
                                              const char * const    *uuids,
                                              BaliseReviewDecision   decision,
                                              const char            *reviewer,
                                              const char            *comment,
                                              GError               **error);

/* The reviewer changes the edit @uuid: @change is applied to the element it
 * edits (its osm_type, osm_id and contributor are taken from the edit). The
 * result is a new edit credited to the volunteer and, as edited_by, to the
 * reviewer, approved by the reviewer; it supersedes the edit reviewed. */
BaliseEdit *balise_store_review_change       (BaliseStore           *self,
                                              const char            *uuid,
                                              const BaliseChange    *change,
                                              const char            *reviewer,
                                              GError               **error);

/* "Review before upload": when on, only approved edits are uploaded; when
 * off, pending ones are too. Unless set, it is on for a shared database
 * (more than one contributor) and off for a solo mapper. */
gboolean    balise_store_get_review_before_upload (BaliseStore  *self);
gboolean    balise_store_set_review_before_upload (BaliseStore  *self,
                                                   gboolean      review,
                                                   GError      **error);
/* The statuses ready to upload under that setting (a BALISE_EDIT_STATUS_MASK
 * mask): approved and failed, and pending when review is off. */
guint       balise_store_get_ready_mask      (BaliseStore           *self);
/* Every edit an upload would send, whatever the review (pending, approved,
 * uploading or failed), oldest first, superseded ones and notes left out:
 * what an osmChange file of the waiting edits holds. */
GPtrArray  *balise_store_list_unsent_edits   (BaliseStore           *self,
                                              GError               **error);
/* The edits the next upload sends, oldest first: ready, not superseded by a
 * later edit of their element, notes left out. */
GPtrArray  *balise_store_list_ready_edits    (BaliseStore           *self,
                                              GError               **error);

G_END_DECLS
