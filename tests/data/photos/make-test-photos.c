/* make-test-photos.c: writes the photos of the UI tests with gdk-pixbuf
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * cc make-test-photos.c $(pkg-config --cflags --libs gdk-pixbuf-2.0) -o make-test-photos
 * ./make-test-photos    (in this folder)
 *
 * bus-shelter.jpg: 640×480, landscape, blue bands left and right of a green
 *   480×480 middle, with a white diagonal: a square thumbnail shows only green
 *   and white.
 * kerb-ramp.png: 300×200 with alpha, an orange middle on transparent.
 */

#include <gdk-pixbuf/gdk-pixbuf.h>

static void
fill (GdkPixbuf *pixbuf,
      guint32  (*colour) (int x, int y, int width, int height))
{
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);
  int channels = gdk_pixbuf_get_n_channels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  guchar *pixels = gdk_pixbuf_get_pixels (pixbuf);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint32 rgba = colour (x, y, width, height);
        guchar *p = pixels + y * stride + x * channels;

        p[0] = rgba >> 24;
        p[1] = (rgba >> 16) & 0xff;
        p[2] = (rgba >> 8) & 0xff;
        if (channels == 4)
          p[3] = rgba & 0xff;
      }
}

static guint32
shelter (int x, int y, int width, int height)
{
  int band = (width - height) / 2;

  if (x < band || x >= width - band)
    return 0x2040c0ff;
  if (abs ((x - band) - y) < 6)
    return 0xffffffff;
  return 0x30a040ff;
}

static guint32
ramp (int x, int y, int width, int height)
{
  if (x > width / 4 && x < 3 * width / 4 && y > height / 4 && y < 3 * height / 4)
    return 0xf08020ff;
  return 0x00000000;
}

int
main (void)
{
  g_autoptr(GdkPixbuf) jpeg = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 640, 480);
  g_autoptr(GdkPixbuf) png = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8, 300, 200);
  g_autoptr(GError) error = NULL;

  fill (jpeg, shelter);
  fill (png, ramp);

  if (!gdk_pixbuf_save (jpeg, "bus-shelter.jpg", "jpeg", &error, "quality", "85", NULL) ||
      !gdk_pixbuf_save (png, "kerb-ramp.png", "png", &error, NULL))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  return 0;
}
