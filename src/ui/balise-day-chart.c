/* balise-day-chart.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-day-chart"

#include "config.h"

#include <glib/gi18n.h>

#include "balise-day-chart.h"
#include "balise-import.h"

#define AXIS_GAP 4

typedef struct
{
  char   *day;
  guint64 count;
} Bar;

struct _BaliseDayChart
{
  GtkWidget  parent_instance;

  GArray    *bars;   /* of Bar */
  guint64    max;
};

G_DEFINE_FINAL_TYPE (BaliseDayChart, balise_day_chart, GTK_TYPE_WIDGET)

static void
clear_bar (gpointer data)
{
  g_free (((Bar *)data)->day);
}

static void
draw_text (GtkWidget   *widget,
           GtkSnapshot *snapshot,
           const char  *text,
           float        x,
           float        y,
           gboolean     right_aligned,
           GdkRGBA     *color)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, text);
  int width, height;

  pango_layout_get_pixel_size (layout, &width, &height);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (right_aligned ? x - width : x, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
  g_object_unref (layout);
}

static int
text_height (GtkWidget *widget)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, "0");
  int height;

  pango_layout_get_pixel_size (layout, NULL, &height);
  g_object_unref (layout);

  return height;
}

static void
balise_day_chart_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  BaliseDayChart *self = BALISE_DAY_CHART (widget);
  GtkStyleContext *style = gtk_widget_get_style_context (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int line = text_height (widget);
  g_autofree char *max_text = NULL;
  GdkRGBA fg, bar_color, grid;
  float plot_top, plot_bottom, plot_height, bar_width, slot;

  /* The theme's colours, so that it reads in light and dark alike. */
  gtk_style_context_get_color (style, &fg);
  if (!gtk_style_context_lookup_color (style, "accent_color", &bar_color))
    bar_color = fg;
  grid = fg;
  grid.alpha *= 0.25;

  if (self->bars->len == 0)
    {
      GdkRGBA dim = fg;

      dim.alpha *= 0.6;
      draw_text (widget, snapshot, _("No edits yet"), 0, (height - line) / 2.0f, FALSE, &dim);
      return;
    }

  plot_top = line / 2.0f;
  plot_bottom = height - line - AXIS_GAP;
  plot_height = MAX (1.0f, plot_bottom - plot_top);
  slot = (float) width / self->bars->len;
  bar_width = MAX (1.0f, slot * 0.7f);

  /* The top line and the base line, and the largest count on the top one. */
  gtk_snapshot_append_color (snapshot, &grid, &GRAPHENE_RECT_INIT (0, plot_top, width, 1));
  gtk_snapshot_append_color (snapshot, &grid, &GRAPHENE_RECT_INIT (0, plot_bottom, width, 1));
  max_text = g_strdup_printf ("%" G_GUINT64_FORMAT, self->max);
  draw_text (widget, snapshot, max_text, width, plot_top + 2, TRUE, &fg);

  for (guint i = 0; i < self->bars->len; i++)
    {
      Bar *bar = &g_array_index (self->bars, Bar, i);
      float bar_height = plot_height * bar->count / (float) self->max;
      float x = i * slot + (slot - bar_width) / 2;

      gtk_snapshot_append_color (snapshot, &bar_color,
                                 &GRAPHENE_RECT_INIT (x, plot_bottom - bar_height, bar_width, bar_height));
    }

  /* The first and the last day under the bars. */
  draw_text (widget, snapshot, g_array_index (self->bars, Bar, 0).day,
             0, plot_bottom + AXIS_GAP, FALSE, &fg);
  if (self->bars->len > 1)
    draw_text (widget, snapshot, g_array_index (self->bars, Bar, self->bars->len - 1).day,
               width, plot_bottom + AXIS_GAP, TRUE, &fg);
}

static void
balise_day_chart_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 200;
      *natural = 600;
    }
  else
    {
      *minimum = 120;
      *natural = 160;
    }
}

static void
balise_day_chart_finalize (GObject *object)
{
  BaliseDayChart *self = (BaliseDayChart *)object;

  g_clear_pointer (&self->bars, g_array_unref);

  G_OBJECT_CLASS (balise_day_chart_parent_class)->finalize (object);
}

static void
balise_day_chart_class_init (BaliseDayChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = balise_day_chart_finalize;
  widget_class->snapshot = balise_day_chart_snapshot;
  widget_class->measure = balise_day_chart_measure;

  gtk_widget_class_set_css_name (widget_class, "daychart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
balise_day_chart_init (BaliseDayChart *self)
{
  self->bars = g_array_new (FALSE, TRUE, sizeof (Bar));
  g_array_set_clear_func (self->bars, clear_bar);
}

GtkWidget *
balise_day_chart_new (void)
{
  return g_object_new (BALISE_TYPE_DAY_CHART, NULL);
}

void
balise_day_chart_set_days (BaliseDayChart *self,
                           GPtrArray      *days)
{
  g_autoptr(GString) description = g_string_new (NULL);
  guint64 total = 0;

  g_return_if_fail (BALISE_IS_DAY_CHART (self));

  g_array_set_size (self->bars, 0);
  self->max = 0;

  for (guint i = 0; days != NULL && i < days->len; i++)
    {
      BaliseCount *count = g_ptr_array_index (days, i);
      Bar bar = { g_strdup (count->name), count->count };

      g_array_append_val (self->bars, bar);
      self->max = MAX (self->max, count->count);
      total += count->count;
    }

  /* What the picture says, for those who cannot see it. */
  if (self->bars->len > 0)
    g_string_printf (description,
                     /* Translators: the description of the chart of edits per day */
                     _("%" G_GUINT64_FORMAT " edits over %u days from %s to %s, at most %" G_GUINT64_FORMAT " in a day"),
                     total, self->bars->len, g_array_index (self->bars, Bar, 0).day,
                     g_array_index (self->bars, Bar, self->bars->len - 1).day, self->max);
  else
    g_string_assign (description, _("No edits yet"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Edits per Day"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description->str,
                                  -1);

  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
balise_day_chart_get_n_bars (BaliseDayChart *self)
{
  g_return_val_if_fail (BALISE_IS_DAY_CHART (self), 0);

  return self->bars->len;
}
