/* balise-bus-stop-dialog.h
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-ui-types.h"

#include "balise-store.h"
#include "balise-tags.h"

G_BEGIN_DECLS

#define BALISE_TYPE_BUS_STOP_DIALOG (balise_bus_stop_dialog_get_type ())

G_DECLARE_FINAL_TYPE (BaliseBusStopDialog, balise_bus_stop_dialog, BALISE, BUS_STOP_DIALOG, AdwWindow)

BaliseBusStopDialog *balise_bus_stop_dialog_new                (GtkWindow           *parent,
                                                                BaliseStore         *store,
                                                                double               latitude,
                                                                double               longitude,
                                                                const char          *contributor);
BaliseTags          *balise_bus_stop_dialog_build_tags         (BaliseBusStopDialog *self);
double               balise_bus_stop_dialog_get_latitude       (BaliseBusStopDialog *self);
double               balise_bus_stop_dialog_get_longitude      (BaliseBusStopDialog *self);

/* The real widgets of the form, so that tests drive them as a volunteer would. */
GtkWidget           *balise_bus_stop_dialog_get_name_row       (BaliseBusStopDialog *self);
GtkWidget           *balise_bus_stop_dialog_get_ref_row        (BaliseBusStopDialog *self);
GtkWidget           *balise_bus_stop_dialog_get_shelter_row    (BaliseBusStopDialog *self);
GtkWidget           *balise_bus_stop_dialog_get_bench_row      (BaliseBusStopDialog *self);
GtkWidget           *balise_bus_stop_dialog_get_wheelchair_row (BaliseBusStopDialog *self);
GtkWidget           *balise_bus_stop_dialog_get_save_button    (BaliseBusStopDialog *self);
GtkWidget           *balise_bus_stop_dialog_get_error_label    (BaliseBusStopDialog *self);

G_END_DECLS
