/* balise-day-chart.h: a bar chart of edits per day
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-ui-types.h"

G_BEGIN_DECLS

#define BALISE_TYPE_DAY_CHART (balise_day_chart_get_type ())

G_DECLARE_FINAL_TYPE (BaliseDayChart, balise_day_chart, BALISE, DAY_CHART, GtkWidget)

GtkWidget *balise_day_chart_new      (void);
/* @days: BaliseCount elements (name YYYY-MM-DD), oldest first; or NULL. */
void       balise_day_chart_set_days (BaliseDayChart *self,
                                      GPtrArray      *days);
guint      balise_day_chart_get_n_bars (BaliseDayChart *self);

G_END_DECLS
