/* balise-delete-dialog.h: asks why a feature is to be deleted
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-ui-types.h"

G_BEGIN_DECLS

#define BALISE_TYPE_DELETE_DIALOG (balise_delete_dialog_get_type ())

G_DECLARE_FINAL_TYPE (BaliseDeleteDialog, balise_delete_dialog, BALISE, DELETE_DIALOG, AdwMessageDialog)

/* @what names the feature: "Bus Stop “Casino”". The "delete" response is
 * enabled only once a reason is written. */
GtkWidget  *balise_delete_dialog_new       (GtkWindow          *parent,
                                            const char         *what);
char       *balise_delete_dialog_get_reason (BaliseDeleteDialog *self);
GtkWidget  *balise_delete_dialog_get_entry  (BaliseDeleteDialog *self);

G_END_DECLS
