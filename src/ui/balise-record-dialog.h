/* balise-record-dialog.h
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-ui-types.h"

#include "balise-preset-catalogue.h"
#include "balise-store.h"
#include "balise-store-query.h"

G_BEGIN_DECLS

#define BALISE_TYPE_RECORD_DIALOG (balise_record_dialog_get_type ())

G_DECLARE_FINAL_TYPE (BaliseRecordDialog, balise_record_dialog, BALISE, RECORD_DIALOG, AdwWindow)

BaliseRecordDialog *balise_record_dialog_new              (GtkWindow             *parent,
                                                           BaliseStore           *store,
                                                           BalisePresetCatalogue *catalogue,
                                                           double                 latitude,
                                                           double                 longitude,
                                                           const char            *contributor);
BaliseRecordDialog *balise_record_dialog_new_report       (GtkWindow             *parent,
                                                           BaliseStore           *store,
                                                           BalisePresetCatalogue *catalogue,
                                                           BaliseFeature         *feature,
                                                           const char            *contributor);
void                balise_record_dialog_choose_preset    (BaliseRecordDialog    *self,
                                                           const char            *id);
BalisePresetChooser *balise_record_dialog_get_chooser     (BaliseRecordDialog    *self);
BalisePresetForm   *balise_record_dialog_get_form         (BaliseRecordDialog    *self);
const char         *balise_record_dialog_get_page         (BaliseRecordDialog    *self);
const char         *balise_record_dialog_get_draft_uuid   (BaliseRecordDialog    *self);
gboolean            balise_record_dialog_is_busy          (BaliseRecordDialog    *self);
BalisePhotoStrip   *balise_record_dialog_get_photo_strip  (BaliseRecordDialog    *self);
const char         *balise_record_dialog_get_carried_uuid (BaliseRecordDialog   *self);
const char         *balise_record_dialog_get_last_message (BaliseRecordDialog   *self);
GtkWidget          *balise_record_dialog_get_error_label  (BaliseRecordDialog    *self);
GtkWidget          *balise_record_dialog_get_nearby_label (BaliseRecordDialog    *self);
GtkWidget          *balise_record_dialog_get_button       (BaliseRecordDialog    *self,
                                                           const char            *name);

G_END_DECLS
