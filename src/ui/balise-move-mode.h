/* balise-move-mode.h: putting a point somewhere else by moving the map under a pin
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-ui-types.h"

G_BEGIN_DECLS

#define BALISE_TYPE_MOVE_MODE (balise_move_mode_get_type ())

G_DECLARE_FINAL_TYPE (BaliseMoveMode, balise_move_mode, BALISE, MOVE_MODE, GtkWidget)

GtkWidget *balise_move_mode_new          (ShumateMap     *map);
/* Centres the map on (@latitude, @longitude), where the pin starts, and
 * shows @title ("Move “Casino”"). */
void       balise_move_mode_start        (BaliseMoveMode *self,
                                          const char     *title,
                                          double          latitude,
                                          double          longitude);
gboolean   balise_move_mode_get_active   (BaliseMoveMode *self);
/* Where the pin is now: the map's centre. */
void       balise_move_mode_get_position (BaliseMoveMode *self,
                                          double         *latitude,
                                          double         *longitude);
/* How far the pin is from where it started, in metres. */
double     balise_move_mode_get_distance (BaliseMoveMode *self);
/* Ends the mode as Done or Cancel would: emits "done" or "cancelled". */
void       balise_move_mode_finish       (BaliseMoveMode *self,
                                          gboolean        done);
GtkWidget *balise_move_mode_get_button   (BaliseMoveMode *self,
                                          const char     *name);

G_END_DECLS
