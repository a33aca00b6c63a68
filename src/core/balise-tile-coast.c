/* balise-tile-coast.c: the sea, from the coastline ways that cross a tile
 *
 * OpenStreetMap has no sea polygons: the coastline is a set of ways with the
 * land on their left and the water on their right. For one tile, the
 * coastline pieces that cross a box around it are joined into water areas by
 * walking the box's edge clockwise from where a piece leaves it to where the
 * next one enters (the usual way of closing coastlines, done per tile).
 * Closed rings inside the box are islands (anticlockwise) or water. A tile
 * that no coastline crosses is sea if its centre lies on the water side of
 * the nearest coastline around it, land otherwise.
 *
 * An extract cuts the coastline: a chain that starts or ends where the data
 * stops is extended straight out of the data, across the nearest side of
 * its bounding box (or, far from that box, the way the chain was going), so
 * that it leaves every tile box and the sea on its right is closed as
 * everywhere else. The extension depends on the chain and the data alone,
 * so neighbouring tiles agree.
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-tile-renderer"

#include "config.h"

#include <math.h>

#include "balise-tile-renderer-private.h"

typedef struct
{
  double x;
  double y;
} Point;

typedef struct
{
  GArray  *points;     /* Point */
  double   t_in;       /* where it enters and leaves, along the box's edge */
  double   t_out;
  gboolean used;
} Piece;

typedef struct
{
  double x0, y0, x1, y1;
} Box;

static void
piece_free (gpointer data)
{
  Piece *piece = data;

  g_array_unref (piece->points);
  g_free (piece);
}

static gboolean
same_point (const Point *a,
            const Point *b)
{
  return a->x == b->x && a->y == b->y;
}

/* Joins the ways that continue each other (the end of one is the start of
 * the next) into longer lines. */
static void
merge_chains (GPtrArray *chains)
{
  gboolean merged = TRUE;

  while (merged)
    {
      merged = FALSE;
      for (guint i = 0; i < chains->len && !merged; i++)
        {
          GArray *a = g_ptr_array_index (chains, i);
          const Point *a_last = &g_array_index (a, Point, a->len - 1);

          if (same_point (&g_array_index (a, Point, 0), a_last))
            continue;

          for (guint j = 0; j < chains->len; j++)
            {
              GArray *b = g_ptr_array_index (chains, j);

              if (i == j || !same_point (a_last, &g_array_index (b, Point, 0)))
                continue;

              g_array_append_vals (a, &g_array_index (b, Point, 1), b->len - 1);
              g_ptr_array_remove_index_fast (chains, j);
              merged = TRUE;
              break;
            }
        }
    }
}

/* How far back along the chain its direction at an end is taken, in px. */
#define END_DIRECTION_PX 32

/* Extends the open end of @line (its start or its end) out of the data:
 * across the nearest side of @data when the end is within @near_px of it,
 * else straight on. */
static void
extend_open_end (GArray    *line,
                 gboolean   at_start,
                 const Box *data,
                 double     near_px,
                 double     far)
{
  const Point *e = &g_array_index (line, Point, at_start ? 0 : line->len - 1);
  Point out = { 0, 0 }, p;
  double best = G_MAXDOUBLE;

  if (data != NULL)
    {
      double d[4] = { e->x - data->x0, data->x1 - e->x, e->y - data->y0, data->y1 - e->y };
      const Point normals[4] = { { -1, 0 }, { 1, 0 }, { 0, -1 }, { 0, 1 } };

      for (int i = 0; i < 4; i++)
        if (d[i] < best)
          {
            best = d[i];
            out = normals[i];
          }
    }

  if (best > near_px)
    {
      double length = 0;

      /* The way the chain goes at this end, over its last few pixels. */
      out = (Point) { 0, 0 };
      for (guint k = 1; k < line->len && length < END_DIRECTION_PX; k++)
        {
          const Point *q = &g_array_index (line, Point, at_start ? k : line->len - 1 - k);

          length = hypot (e->x - q->x, e->y - q->y);
          out = (Point) { e->x - q->x, e->y - q->y };
        }
      if (length == 0)
        return;
      out.x /= length;
      out.y /= length;
    }

  p = (Point) { e->x + out.x * far, e->y + out.y * far };
  if (at_start)
    g_array_prepend_val (line, p);
  else
    g_array_append_val (line, p);
}

/* The distance along the box's edge, clockwise from its top-left corner. */
static double
edge_position (const Box   *box,
               const Point *p)
{
  double w = box->x1 - box->x0, h = box->y1 - box->y0;
  double d_top = fabs (p->y - box->y0), d_right = fabs (p->x - box->x1);
  double d_bottom = fabs (p->y - box->y1), d_left = fabs (p->x - box->x0);
  double d = MIN (MIN (d_top, d_right), MIN (d_bottom, d_left));

  if (d == d_top)
    return CLAMP (p->x - box->x0, 0, w);
  if (d == d_right)
    return w + CLAMP (p->y - box->y0, 0, h);
  if (d == d_bottom)
    return w + h + CLAMP (box->x1 - p->x, 0, w);
  return 2 * w + h + CLAMP (box->y1 - p->y, 0, h);
}

static gboolean
inside (const Box   *box,
        const Point *p)
{
  return p->x > box->x0 && p->x < box->x1 && p->y > box->y0 && p->y < box->y1;
}

/* Liang–Barsky: the part [t0, t1] of the segment inside the box. */
static gboolean
clip_segment (const Box   *box,
              const Point *a,
              const Point *b,
              double      *t0,
              double      *t1)
{
  double dx = b->x - a->x, dy = b->y - a->y;
  double p[4] = { -dx, dx, -dy, dy };
  double q[4] = { a->x - box->x0, box->x1 - a->x, a->y - box->y0, box->y1 - a->y };

  *t0 = 0;
  *t1 = 1;
  for (int i = 0; i < 4; i++)
    {
      if (p[i] == 0)
        {
          if (q[i] < 0)
            return FALSE;
          continue;
        }
      if (p[i] < 0)
        *t0 = MAX (*t0, q[i] / p[i]);
      else
        *t1 = MIN (*t1, q[i] / p[i]);
    }

  return *t0 < *t1;
}

static Point
lerp (const Point *a,
      const Point *b,
      double       t)
{
  return (Point) { a->x + (b->x - a->x) * t, a->y + (b->y - a->y) * t };
}

/* Cuts an open line, which starts and ends outside the box, into the
 * pieces inside it. FALSE if it ends inside: the data stops there (the edge
 * of an extract) and no side can be told. */
static gboolean
cut_line (const Box *box,
          GArray    *line,
          GPtrArray *pieces)
{
  Piece *current = NULL;

  if (inside (box, &g_array_index (line, Point, 0)) ||
      inside (box, &g_array_index (line, Point, line->len - 1)))
    return FALSE;

  for (guint i = 0; i + 1 < line->len; i++)
    {
      const Point *a = &g_array_index (line, Point, i);
      const Point *b = &g_array_index (line, Point, i + 1);
      double t0, t1;
      Point q;

      if (!clip_segment (box, a, b, &t0, &t1))
        continue;

      if (current == NULL)
        {
          current = g_new0 (Piece, 1);
          current->points = g_array_new (FALSE, FALSE, sizeof (Point));
          q = lerp (a, b, t0);
          current->t_in = edge_position (box, &q);
          g_array_append_val (current->points, q);
        }

      q = lerp (a, b, t1);
      g_array_append_val (current->points, q);
      if (t1 < 1)
        {
          current->t_out = edge_position (box, &q);
          g_ptr_array_add (pieces, current);
          current = NULL;
        }
    }

  g_assert (current == NULL);
  return TRUE;
}

static double
signed_area (GArray *ring)
{
  double area = 0;

  for (guint i = 0; i + 1 < ring->len; i++)
    {
      const Point *a = &g_array_index (ring, Point, i);
      const Point *b = &g_array_index (ring, Point, i + 1);

      area += a->x * b->y - b->x * a->y;
    }

  return area / 2;
}

static void
add_ring (cairo_t *cr,
          GArray  *ring)
{
  for (guint i = 0; i < ring->len; i++)
    {
      const Point *p = &g_array_index (ring, Point, i);

      if (i == 0)
        cairo_move_to (cr, p->x, p->y);
      else
        cairo_line_to (cr, p->x, p->y);
    }
  cairo_close_path (cr);
}

static void
line_to_corners (cairo_t   *cr,
                 const Box *box,
                 double     from,
                 double     to)
{
  double w = box->x1 - box->x0, h = box->y1 - box->y0;
  double length = 2 * (w + h);
  double corners[4] = { w, w + h, 2 * w + h, 2 * (w + h) };
  Point points[4] = { { box->x1, box->y0 }, { box->x1, box->y1 },
                      { box->x0, box->y1 }, { box->x0, box->y0 } };
  double distance = fmod (to - from + length, length);

  /* Every corner passed going clockwise from @from to @to. */
  for (int lap = 0; lap < 2; lap++)
    for (int i = 0; i < 4; i++)
      {
        double c = corners[i] + lap * length;

        if (c > from && c < from + distance)
          cairo_line_to (cr, points[i].x, points[i].y);
      }
}

static void
close_pieces (cairo_t   *cr,
              const Box *box,
              GPtrArray *pieces)
{
  double length = 2 * (box->x1 - box->x0 + box->y1 - box->y0);

  for (guint s = 0; s < pieces->len; s++)
    {
      Piece *start = g_ptr_array_index (pieces, s);
      Piece *current = start;

      if (start->used)
        continue;

      cairo_new_sub_path (cr);
      while (current != NULL)
        {
          Piece *next = NULL;
          double best = G_MAXDOUBLE;

          current->used = TRUE;
          for (guint i = 0; i < current->points->len; i++)
            {
              const Point *p = &g_array_index (current->points, Point, i);

              cairo_line_to (cr, p->x, p->y);
            }

          /* The next entry clockwise along the edge, maybe our own. */
          for (guint i = 0; i < pieces->len; i++)
            {
              Piece *candidate = g_ptr_array_index (pieces, i);
              double d;

              if (candidate->used && candidate != start)
                continue;
              d = fmod (candidate->t_in - current->t_out + length, length);
              if (d < best)
                {
                  best = d;
                  next = candidate;
                }
            }

          g_assert (next != NULL);
          line_to_corners (cr, box, current->t_out, next->t_in);
          current = next == start ? NULL : next;
        }
      cairo_close_path (cr);
    }
}

/* Which side of the nearest coastline the point is on. */
static gboolean
point_is_sea (GPtrArray   *chains,
              const Point *c)
{
  double best = G_MAXDOUBLE;
  double side = 0;

  for (guint k = 0; k < chains->len; k++)
    {
      GArray *line = g_ptr_array_index (chains, k);

      for (guint i = 0; i + 1 < line->len; i++)
        {
          const Point *a = &g_array_index (line, Point, i);
          const Point *b = &g_array_index (line, Point, i + 1);
          double dx = b->x - a->x, dy = b->y - a->y;
          double len2 = dx * dx + dy * dy;
          double t = len2 > 0 ? CLAMP (((c->x - a->x) * dx + (c->y - a->y) * dy) / len2, 0, 1) : 0;
          double px = a->x + t * dx - c->x, py = a->y + t * dy - c->y;
          double d2 = px * px + py * py;

          if (d2 < best)
            {
              best = d2;
              /* y goes down: water, on the right, is a positive cross product. */
              side = dx * (c->y - a->y) - dy * (c->x - a->x);
            }
        }
    }

  return side > 0;
}

/**
 * _balise_tile_fill_sea:
 * @cr: the tile's context
 * @lines: (element-type GArray): the coastline ways around the tile, as
 *   arrays of points in tile pixels; merged in place
 * @margin: how far around the tile the box goes, in pixels
 * @data_box: (nullable): where the data stops, west, north, east and south
 *   in tile pixels
 * @near_px: how close to @data_box a chain's open end is taken to stop
 *   there, in pixels
 *
 * Paints the sea in the current source. The coastline's open ends are
 * extended out of the data first.
 *
 * Returns: FALSE if the coastline stops inside the tile and cannot be
 *   extended: nothing was painted
 */
gboolean
_balise_tile_fill_sea (cairo_t      *cr,
                       GPtrArray    *lines,
                       double        margin,
                       const double *data_box,
                       double        near_px)
{
  g_autoptr(GPtrArray) pieces = g_ptr_array_new_with_free_func (piece_free);
  g_autoptr(GPtrArray) rings = g_ptr_array_new ();
  Box box = { -margin, -margin, BALISE_TILE_SIZE + margin, BALISE_TILE_SIZE + margin };
  Point centre = { BALISE_TILE_SIZE / 2.0, BALISE_TILE_SIZE / 2.0 };
  gboolean island_or_lake = FALSE;
  Box data;

  merge_chains (lines);

  if (data_box != NULL)
    data = (Box) { data_box[0], data_box[1], data_box[2], data_box[3] };
  for (guint i = 0; i < lines->len; i++)
    {
      GArray *line = g_ptr_array_index (lines, i);
      const Point *first = &g_array_index (line, Point, 0);
      const Point *last = &g_array_index (line, Point, line->len - 1);
      double far;

      if (line->len < 2 || same_point (first, last))
        continue;

      /* Far enough to leave the tile's box from anywhere it starts. */
      far = hypot (last->x - centre.x, last->y - centre.y) + hypot (first->x - centre.x, first->y - centre.y) +
            2 * (BALISE_TILE_SIZE + 2 * margin);
      extend_open_end (line, TRUE, data_box != NULL ? &data : NULL, near_px, far);
      extend_open_end (line, FALSE, data_box != NULL ? &data : NULL, near_px, far);
    }

  for (guint i = 0; i < lines->len; i++)
    {
      GArray *line = g_ptr_array_index (lines, i);
      gboolean closed = same_point (&g_array_index (line, Point, 0),
                                    &g_array_index (line, Point, line->len - 1));

      if (line->len < 2)
        continue;

      if (closed)
        {
          guint outside_at = G_MAXUINT;

          for (guint j = 0; j < line->len && outside_at == G_MAXUINT; j++)
            if (!inside (&box, &g_array_index (line, Point, j)))
              outside_at = j;

          if (outside_at == G_MAXUINT)
            {
              g_ptr_array_add (rings, line);
              continue;
            }

          /* Start and end the ring at a point outside the box. */
          {
            g_autoptr(GArray) rotated = g_array_new (FALSE, FALSE, sizeof (Point));

            g_array_append_vals (rotated, &g_array_index (line, Point, outside_at),
                                 line->len - 1 - outside_at);
            g_array_append_vals (rotated, &g_array_index (line, Point, 0), outside_at + 1);
            cut_line (&box, rotated, pieces);
          }
          continue;
        }

      if (!cut_line (&box, line, pieces))
        return FALSE;
    }

  cairo_new_path (cr);
  if (pieces->len > 0)
    close_pieces (cr, &box, pieces);
  else if (rings->len == 0 && lines->len > 0 && point_is_sea (lines, &centre))
    cairo_rectangle (cr, box.x0, box.y0, box.x1 - box.x0, box.y1 - box.y0);
  else if (rings->len > 0)
    {
      /* Islands in a sea with no coast crossing the box: the box is sea. */
      for (guint i = 0; i < rings->len; i++)
        island_or_lake |= signed_area (g_ptr_array_index (rings, i)) < 0;
      if (island_or_lake)
        cairo_rectangle (cr, box.x0, box.y0, box.x1 - box.x0, box.y1 - box.y0);
    }

  /* Rings cut islands out of the sea, or add enclosed water. */
  for (guint i = 0; i < rings->len; i++)
    add_ring (cr, g_ptr_array_index (rings, i));

  cairo_set_fill_rule (cr, CAIRO_FILL_RULE_EVEN_ODD);
  cairo_fill (cr);
  return TRUE;
}
