/* bench-photos.c: what a phone's photo costs to show, and where it is paid
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A 12-megapixel JPEG (4032×3024, a phone camera's size) made here with
 * gdk-pixbuf, then, best of 5 each:
 *   - gdk_texture_new_from_bytes(): the whole photo decoded, what the main
 *     thread would block on without the strip's threads;
 *   - the strip's thumbnail (balise_photo_decode_bytes, square, 176 px),
 *     decoded at a reduced scale by libjpeg, in a GTask thread in the app;
 *   - the viewer's full-resolution texture (the same, whole).
 */

#undef G_DISABLE_ASSERT

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "balise-photo-decode.h"

#define WIDTH  4032
#define HEIGHT 3024
#define ROUNDS 5

static GBytes *
make_photo (void)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, WIDTH, HEIGHT);
  g_autoptr(GError) error = NULL;
  guchar *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  guint32 seed = 12345;
  char *buffer = NULL;
  gsize size;

  /* Gradients and grain, so the JPEG is the size a real photo is. */
  for (int y = 0; y < HEIGHT; y++)
    for (int x = 0; x < WIDTH; x++)
      {
        guchar *p = pixels + y * stride + x * 3;

        seed = seed * 1103515245 + 12345;
        p[0] = (x * 255 / WIDTH + (seed >> 28)) & 0xff;
        p[1] = (y * 255 / HEIGHT + (seed >> 26)) & 0xff;
        p[2] = ((x + y) / 32 % 2 ? 200 : 60) + (seed >> 29);
      }

  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "jpeg", &error, "quality", "90", NULL));
  g_assert_no_error (error);
  return g_bytes_new_take (buffer, size);
}

static double
best_of (GBytes         *photo,
         int             kind,
         int            *out_width,
         int            *out_height)
{
  double best = G_MAXDOUBLE;

  for (guint i = 0; i < ROUNDS; i++)
    {
      g_autoptr(GdkTexture) texture = NULL;
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();

      if (kind == 0)
        texture = gdk_texture_new_from_bytes (photo, &error);
      else if (kind == 1)
        texture = balise_photo_decode_bytes (photo, BALISE_PHOTO_FIT_SQUARE, 176, &error);
      else
        texture = balise_photo_decode_bytes (photo, BALISE_PHOTO_FIT_WHOLE, 8192, &error);
      g_assert_no_error (error);

      best = MIN (best, (g_get_monotonic_time () - start) / 1000.0);
      *out_width = gdk_texture_get_width (texture);
      *out_height = gdk_texture_get_height (texture);
    }

  return best;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GBytes) photo = make_photo ();
  double full, thumbnail, viewer;
  int w, h;

  g_print ("photo: %dx%d JPEG, %.1f MB\n", WIDTH, HEIGHT, g_bytes_get_size (photo) / 1e6);
  full = best_of (photo, 0, &w, &h);
  g_print ("gdk_texture_new_from_bytes (main thread without threads): %.1f ms (%dx%d)\n", full, w, h);
  thumbnail = best_of (photo, 1, &w, &h);
  g_print ("strip thumbnail, in a thread: %.1f ms (%dx%d)\n", thumbnail, w, h);
  viewer = best_of (photo, 2, &w, &h);
  g_print ("viewer, full resolution, in a thread: %.1f ms (%dx%d)\n", viewer, w, h);
  g_print ("thumbnail decode is %.1fx cheaper than a full decode\n", full / thumbnail);

  return 0;
}
