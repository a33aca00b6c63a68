/* balise-photo-decode.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-photo-decode"

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "balise-photo-decode.h"
#include "balise-store-photos.h"

/* A phone's JPEG is 12 to 50 megapixels: decoding one takes a few hundred
 * milliseconds, far too long for the main thread. gdk-pixbuf's loader
 * decodes it at the size asked for (libjpeg scales while it decodes), in a
 * GTask thread, and the texture is built from its pixels there too. */

BalisePhotoItem *
balise_photo_item_new (const char *sha256,
                       GFile      *file)
{
  BalisePhotoItem *item;

  g_return_val_if_fail ((sha256 == NULL) != (file == NULL), NULL);

  item = g_new0 (BalisePhotoItem, 1);
  item->sha256 = g_strdup (sha256);
  item->file = file ? g_object_ref (file) : NULL;
  return item;
}

BalisePhotoItem *
balise_photo_item_copy (BalisePhotoItem *item)
{
  g_return_val_if_fail (item != NULL, NULL);

  return balise_photo_item_new (item->sha256, item->file);
}

void
balise_photo_item_free (BalisePhotoItem *item)
{
  if (item == NULL)
    return;
  g_free (item->sha256);
  g_clear_object (&item->file);
  g_free (item);
}

typedef struct
{
  BalisePhotoFit fit;
  int            size;
} Target;

static void
size_prepared_cb (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  gpointer         user_data)
{
  const Target *target = user_data;
  double scale;

  if (width <= 0 || height <= 0)
    return;

  if (target->fit == BALISE_PHOTO_FIT_SQUARE)
    scale = (double) target->size / MIN (width, height);
  else
    scale = (double) target->size / MAX (width, height);

  if (scale < 1.0)
    gdk_pixbuf_loader_set_size (loader,
                                MAX (1, (int) (width * scale + 0.5)),
                                MAX (1, (int) (height * scale + 0.5)));
}

static GdkTexture *
texture_for_pixbuf (GdkPixbuf *pixbuf)
{
  g_autoptr(GBytes) pixels = gdk_pixbuf_read_pixel_bytes (pixbuf);

  return gdk_memory_texture_new (gdk_pixbuf_get_width (pixbuf),
                                 gdk_pixbuf_get_height (pixbuf),
                                 gdk_pixbuf_get_has_alpha (pixbuf) ? GDK_MEMORY_R8G8B8A8
                                                                   : GDK_MEMORY_R8G8B8,
                                 pixels,
                                 gdk_pixbuf_get_rowstride (pixbuf));
}

GdkTexture *
balise_photo_decode_bytes (GBytes          *bytes,
                           BalisePhotoFit   fit,
                           int              size,
                           GError         **error)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  g_autoptr(GdkPixbuf) turned = NULL;
  g_autoptr(GdkPixbuf) cropped = NULL;
  g_autoptr(GError) local_error = NULL;
  Target target = { fit, size };
  GdkPixbuf *pixbuf;
  int width, height;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (size > 0, NULL);

  g_signal_connect (loader, "size-prepared", G_CALLBACK (size_prepared_cb), &target);
  if (!gdk_pixbuf_loader_write_bytes (loader, bytes, &local_error) ||
      !gdk_pixbuf_loader_close (loader, &local_error))
    {
      /* Closing a loader that failed only adds a second error. */
      gdk_pixbuf_loader_close (loader, NULL);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (!(pixbuf = gdk_pixbuf_loader_get_pixbuf (loader)))
    {
      g_set_error_literal (error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_CORRUPT_IMAGE,
                           "The photo has no picture in it");
      return NULL;
    }

  /* Phones store photos as the sensor saw them and say how to turn them. */
  turned = gdk_pixbuf_apply_embedded_orientation (pixbuf);
  width = gdk_pixbuf_get_width (turned);
  height = gdk_pixbuf_get_height (turned);

  if (fit == BALISE_PHOTO_FIT_SQUARE && width != height)
    {
      int side = MIN (width, height);

      cropped = gdk_pixbuf_new (GDK_COLORSPACE_RGB, gdk_pixbuf_get_has_alpha (turned), 8, side, side);
      if (cropped == NULL)
        {
          g_set_error_literal (error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_INSUFFICIENT_MEMORY,
                               "Not enough memory for the thumbnail");
          return NULL;
        }
      gdk_pixbuf_copy_area (turned, (width - side) / 2, (height - side) / 2, side, side,
                            cropped, 0, 0);
      return texture_for_pixbuf (cropped);
    }

  return texture_for_pixbuf (turned);
}

typedef struct
{
  GFile          *file;
  GBytes         *bytes;
  BalisePhotoFit  fit;
  int             size;
} DecodeData;

static void
decode_data_free (DecodeData *data)
{
  g_clear_object (&data->file);
  g_clear_pointer (&data->bytes, g_bytes_unref);
  g_free (data);
}

static void
decode_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  DecodeData *data = task_data;
  g_autoptr(GError) error = NULL;
  GdkTexture *texture;

  if (data->bytes == NULL)
    {
      char *contents = NULL;
      gsize length;

      if (!g_file_load_contents (data->file, cancellable, &contents, &length, NULL, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      data->bytes = g_bytes_new_take (contents, length);
    }

  if (g_task_return_error_if_cancelled (task))
    return;

  if ((texture = balise_photo_decode_bytes (data->bytes, data->fit, data->size, &error)))
    g_task_return_pointer (task, texture, g_object_unref);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
photo_read_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DecodeData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!(data->bytes = balise_store_read_photo_finish (BALISE_STORE (object), result, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_run_in_thread (task, decode_in_thread);
}

void
balise_photo_decode_async (BaliseStore         *store,
                           const char          *sha256,
                           GFile               *file,
                           BalisePhotoFit       fit,
                           int                  size,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  DecodeData *data;

  g_return_if_fail ((sha256 != NULL && BALISE_IS_STORE (store)) || G_IS_FILE (file));
  g_return_if_fail ((sha256 == NULL) != (file == NULL));
  g_return_if_fail (size > 0);

  data = g_new0 (DecodeData, 1);
  data->file = file ? g_object_ref (file) : NULL;
  data->fit = fit;
  data->size = size;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, balise_photo_decode_async);
  g_task_set_task_data (task, data, (GDestroyNotify) decode_data_free);

  if (sha256 != NULL)
    balise_store_read_photo_async (store, sha256, cancellable, photo_read_cb, g_steal_pointer (&task));
  else
    g_task_run_in_thread (task, decode_in_thread);
}

GdkTexture *
balise_photo_decode_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
