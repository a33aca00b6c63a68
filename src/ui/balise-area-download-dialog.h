/* balise-area-download-dialog.h
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-tile-download.h"
#include "balise-ui-types.h"

G_BEGIN_DECLS

#define BALISE_TYPE_AREA_DOWNLOAD_DIALOG (balise_area_download_dialog_get_type ())

G_DECLARE_FINAL_TYPE (BaliseAreaDownloadDialog, balise_area_download_dialog, BALISE, AREA_DOWNLOAD_DIALOG, AdwWindow)

/* Downloads @area (its zooms are the dialog's first choice) into the
 * MBTiles file at @path; on success the window shows it as its basemap. */
BaliseAreaDownloadDialog *balise_area_download_dialog_new          (BaliseWindow             *window,
                                                                    const BaliseTileArea     *area,
                                                                    const char               *path);
GtkWidget                *balise_area_download_dialog_get_url_row  (BaliseAreaDownloadDialog *self);
GtkWidget                *balise_area_download_dialog_get_download_button (BaliseAreaDownloadDialog *self);
GtkWidget                *balise_area_download_dialog_get_estimate_label  (BaliseAreaDownloadDialog *self);
void                      balise_area_download_dialog_set_zooms    (BaliseAreaDownloadDialog *self,
                                                                    int                       min_zoom,
                                                                    int                       max_zoom);

G_END_DECLS
