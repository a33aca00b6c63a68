/* balise-upload-dialog.h: the changeset composer shown before an upload
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-ui-types.h"
#include "balise-upload-preview.h"

G_BEGIN_DECLS

#define BALISE_TYPE_UPLOAD_DIALOG (balise_upload_dialog_get_type ())

G_DECLARE_FINAL_TYPE (BaliseUploadDialog, balise_upload_dialog, BALISE, UPLOAD_DIALOG, AdwWindow)

/* Signal "upload" (no arguments): the coordinator pressed Upload with a
 * comment OSM takes; the dialog closes itself after it. */

/* @preview: what the upload will send; @server_url: where to. The comment
 * starts as the preview's summary; hashtags and credits follow the
 * "hashtags" and "credit-contributors" settings. */
GtkWidget  *balise_upload_dialog_new          (GtkWindow           *parent,
                                               BaliseUploadPreview *preview,
                                               const char          *server_url);
/* The comment as it will be sent: the text typed, the hashtags appended. */
const char *balise_upload_dialog_get_comment  (BaliseUploadDialog  *self);
/* The comment as typed, and its field. */
GtkEditable *balise_upload_dialog_get_comment_field (BaliseUploadDialog *self);
gboolean    balise_upload_dialog_get_credit   (BaliseUploadDialog  *self);
/* Why Upload is off, as shown under the comment, or NULL. */
const char *balise_upload_dialog_get_problem  (BaliseUploadDialog  *self);
/* "12 bus stops added" as shown under What Will Be Sent. */
const char *balise_upload_dialog_get_changes_text (BaliseUploadDialog *self);

G_END_DECLS
