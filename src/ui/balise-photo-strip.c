/* balise-photo-strip.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-photo-strip"

#include "config.h"

#include <glib/gi18n.h>

#include "balise-photo-decode.h"
#include "balise-photo-strip.h"
#include "balise-photo-viewer.h"
#include "balise-store-photos.h"

/* A row of square thumbnails after an "Add Photo" button. Photos are read
 * and stored by the store's writer thread; thumbnails are decoded and
 * scaled in threads (balise-photo-decode.c); the main thread only lays out
 * the result. A record that is not in the store yet (a fault, written when
 * its form is filed) keeps the files chosen, checked, until it is. */

#define THUMBNAIL_SIZE 88   /* logical pixels; decoded at twice that */
#define SNIFF_BYTES    32

struct _BalisePhotoStrip
{
  GtkWidget             parent_instance;

  /* Template widgets */
  GtkScrolledWindow    *scroller;
  GtkBox               *thumbnails_box;
  GtkButton            *add_button;
  GtkStack             *add_stack;
  GtkSpinner           *spinner;
  GtkRevealer          *error_revealer;
  GtkLabel             *error_label;

  /* Owned references */
  BaliseStore          *store;
  char                 *edit_uuid;
  char                 *note_uuid;
  GPtrArray            *items;        /* BalisePhotoItem, in order */
  GPtrArray            *buttons;      /* the thumbnail of each item */
  GHashTable           *thumbnails;   /* sha256 or file URI → GdkTexture */
  GCancellable         *cancellable;  /* thumbnails of the current target */
  GtkFileChooserNative *chooser;

  /* Borrowed references */
  BalisePhotoViewer    *viewer;

  guint                 n_busy;
  guint                 editable : 1;
};

G_DEFINE_FINAL_TYPE (BalisePhotoStrip, balise_photo_strip, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  PROP_EDITABLE,
  PROP_N_PHOTOS,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void rebuild (BalisePhotoStrip *self);

static char *
item_key (BalisePhotoItem *item)
{
  return item->sha256 ? g_strdup (item->sha256) : g_file_get_uri (item->file);
}

/* What a volunteer reads when a file is refused: its name and why. */
static char *
describe_refusal (GFile        *file,
                  const GError *error)
{
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *name = path ? g_filename_display_basename (path) : g_file_get_parse_name (file);

  if (g_error_matches (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_TOO_LARGE))
    /* Translators: %s is a file name, %d a size in megabytes */
    return g_strdup_printf (_("“%s” is too large: a photo may be at most %d MB."),
                            name, BALISE_PHOTO_MAX_SIZE / 1000000);
  if (g_error_matches (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID))
    /* Translators: %s is a file name */
    return g_strdup_printf (_("“%s” is not a photo: Balise takes JPEG, PNG, WebP, HEIC, AVIF, GIF and TIFF images."),
                            name);
  /* Translators: %s is a file name, then the reason */
  return g_strdup_printf (_("“%s” could not be attached: %s"), name, error->message);
}

static void
show_errors (BalisePhotoStrip *self,
             const char       *text)
{
  gtk_label_set_label (self->error_label, text ? text : "");
  gtk_revealer_set_reveal_child (self->error_revealer, text != NULL && *text != '\0');
}

static void
set_busy (BalisePhotoStrip *self,
          gboolean          busy)
{
  gboolean was_busy = self->n_busy > 0;

  if (busy)
    self->n_busy++;
  else
    self->n_busy--;

  if (was_busy == (self->n_busy > 0))
    return;

  gtk_stack_set_visible_child_name (self->add_stack, self->n_busy > 0 ? "busy" : "icon");
  if (self->n_busy > 0)
    gtk_spinner_start (self->spinner);
  else
    gtk_spinner_stop (self->spinner);
  gtk_widget_set_sensitive (GTK_WIDGET (self->add_button), self->n_busy == 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/*
 * Thumbnails
 */

typedef struct
{
  BalisePhotoStrip *self;
  char             *key;
} ThumbnailJob;

static void
thumbnail_job_free (ThumbnailJob *job)
{
  g_clear_object (&job->self);
  g_free (job->key);
  g_free (job);
}

static void
set_thumbnail (GtkWidget  *button,
               GdkTexture *texture)
{
  GtkWidget *picture = gtk_picture_new_for_paintable (GDK_PAINTABLE (texture));

  gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
  gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_COVER);
  gtk_widget_set_size_request (picture, THUMBNAIL_SIZE, THUMBNAIL_SIZE);
  gtk_button_set_child (GTK_BUTTON (button), picture);
}

static void
thumbnail_decoded_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  ThumbnailJob *job = user_data;
  BalisePhotoStrip *self = job->self;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = balise_photo_decode_finish (result, &error);
  if (texture == NULL)
    {
      /* Still the photo, kept and shown by its placeholder: a HEIC with
       * no decoder here, say. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No thumbnail for %s: %s", job->key, error->message);
      thumbnail_job_free (job);
      return;
    }

  g_hash_table_insert (self->thumbnails, g_strdup (job->key), g_object_ref (texture));

  for (guint i = 0; i < self->items->len; i++)
    {
      g_autofree char *key = item_key (g_ptr_array_index (self->items, i));

      if (g_str_equal (key, job->key))
        set_thumbnail (g_ptr_array_index (self->buttons, i), texture);
    }

  thumbnail_job_free (job);
}

static void
thumbnail_clicked_cb (GtkButton        *button,
                      BalisePhotoStrip *self);

static GtkWidget *
new_thumbnail (BalisePhotoStrip *self,
               BalisePhotoItem  *item,
               guint             index)
{
  g_autofree char *key = item_key (item);
  g_autofree char *label = NULL;
  GdkTexture *texture = g_hash_table_lookup (self->thumbnails, key);
  GtkWidget *button = gtk_button_new ();

  gtk_widget_add_css_class (button, "photo-thumbnail");
  gtk_widget_set_valign (button, GTK_ALIGN_START);
  /* Translators: the accessible name of a thumbnail, e.g. “Photo 2 of 3” */
  label = g_strdup_printf (_("Photo %u of %u"), index + 1, self->items->len);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  gtk_widget_set_tooltip_text (button, _("Open Photo"));
  g_signal_connect_object (button, "clicked", G_CALLBACK (thumbnail_clicked_cb), self, 0);

  if (texture != NULL)
    {
      set_thumbnail (button, texture);
    }
  else
    {
      GtkWidget *placeholder = gtk_image_new_from_icon_name ("image-x-generic-symbolic");
      ThumbnailJob *job = g_new0 (ThumbnailJob, 1);
      int scale = MAX (2, gtk_widget_get_scale_factor (GTK_WIDGET (self)));

      gtk_image_set_pixel_size (GTK_IMAGE (placeholder), 32);
      gtk_widget_set_size_request (placeholder, THUMBNAIL_SIZE, THUMBNAIL_SIZE);
      gtk_button_set_child (GTK_BUTTON (button), placeholder);

      job->self = g_object_ref (self);
      job->key = g_steal_pointer (&key);
      balise_photo_decode_async (self->store, item->sha256, item->file,
                                 BALISE_PHOTO_FIT_SQUARE, THUMBNAIL_SIZE * scale,
                                 self->cancellable, thumbnail_decoded_cb, job);
    }

  return button;
}

static void
rebuild (BalisePhotoStrip *self)
{
  g_assert (BALISE_IS_PHOTO_STRIP (self));

  for (guint i = 0; i < self->buttons->len; i++)
    gtk_box_remove (self->thumbnails_box, g_ptr_array_index (self->buttons, i));
  g_ptr_array_set_size (self->buttons, 0);

  for (guint i = 0; i < self->items->len; i++)
    {
      GtkWidget *button = new_thumbnail (self, g_ptr_array_index (self->items, i), i);

      gtk_box_append (self->thumbnails_box, button);
      g_ptr_array_add (self->buttons, button);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PHOTOS]);
}

/* Reads the target's photos again (a short query, no photo data). */
static void
reload (BalisePhotoStrip *self)
{
  g_autoptr(GPtrArray) photos = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (BALISE_IS_PHOTO_STRIP (self));

  if (self->edit_uuid == NULL && self->note_uuid == NULL)
    {
      rebuild (self);
      return;
    }

  g_ptr_array_set_size (self->items, 0);
  photos = balise_store_list_photos (self->store, self->edit_uuid, self->note_uuid, &error);
  if (photos == NULL)
    {
      g_autofree char *message = NULL;

      g_warning ("Could not list the photos: %s", error->message);
      /* Translators: %s is the reason, from the database */
      message = g_strdup_printf (_("The photos could not be read: %s"), error->message);
      show_errors (self, message);
    }

  for (guint i = 0; photos != NULL && i < photos->len; i++)
    {
      BalisePhoto *photo = g_ptr_array_index (photos, i);

      g_ptr_array_add (self->items, balise_photo_item_new (photo->sha256, NULL));
    }

  rebuild (self);
}

/*
 * Adding
 */

typedef struct
{
  GPtrArray *files;        /* GFile */
  guint      next;
  char      *edit_uuid;    /* the target when it started; neither: pending */
  char      *note_uuid;
  GString   *refusals;
  GError    *first_error;
} AddJob;

static void
add_job_free (AddJob *job)
{
  g_clear_pointer (&job->files, g_ptr_array_unref);
  g_free (job->edit_uuid);
  g_free (job->note_uuid);
  g_string_free (job->refusals, TRUE);
  g_clear_error (&job->first_error);
  g_free (job);
}

static void add_next (GTask *task);

static void
add_refused (GTask  *task,
             GFile  *file,
             GError *error)
{
  AddJob *job = g_task_get_task_data (task);
  g_autofree char *text = describe_refusal (file, error);

  if (job->refusals->len > 0)
    g_string_append_c (job->refusals, '\n');
  g_string_append (job->refusals, text);

  if (job->first_error == NULL)
    job->first_error = g_error_new_literal (error->domain, error->code, text);
}

static void
photo_attached_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BalisePhotoStrip *self = g_task_get_source_object (task);
  AddJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *sha256 = NULL;
  GFile *file;

  file = g_ptr_array_index (job->files, job->next);
  if (!(sha256 = balise_store_attach_photo_finish (BALISE_STORE (object), result, &error)))
    {
      add_refused (task, file, error);
    }
  else
    {
      /* A file that waited has its thumbnail already. */
      g_autofree char *uri = g_file_get_uri (file);
      GdkTexture *texture = g_hash_table_lookup (self->thumbnails, uri);

      if (texture != NULL)
        g_hash_table_insert (self->thumbnails, g_strdup (sha256), g_object_ref (texture));
    }

  job->next++;
  add_next (g_steal_pointer (&task));
}

/* A file that waits for its record is checked as the store would check it:
 * its size, and that its first bytes are an image's. */
static void
check_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  GFile *file = task_data;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  guint8 head[SNIFF_BYTES];
  gsize n_read = 0;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                            cancellable, &error);
  if (info != NULL && g_file_info_get_size (info) > BALISE_PHOTO_MAX_SIZE)
    g_set_error (&error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_TOO_LARGE, "Too large");
  else if (info != NULL &&
           (stream = g_file_read (file, cancellable, &error)) != NULL &&
           g_input_stream_read_all (G_INPUT_STREAM (stream), head, sizeof head, &n_read,
                                    cancellable, &error) &&
           balise_photo_sniff_mime_type (head, n_read) == NULL)
    g_set_error (&error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID, "Not an image");

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
file_checked_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BalisePhotoStrip *self = g_task_get_source_object (task);
  AddJob *job = g_task_get_task_data (task);
  GFile *file = g_ptr_array_index (job->files, job->next);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    add_refused (task, file, error);
  else
    g_ptr_array_add (self->items, balise_photo_item_new (NULL, file));

  job->next++;
  add_next (g_steal_pointer (&task));
}

static void
add_next (GTask *task)
{
  BalisePhotoStrip *self = g_task_get_source_object (task);
  AddJob *job = g_task_get_task_data (task);
  GFile *file;

  /* The strip is gone (its form was closed): nothing more to show. */
  if (self->store == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "The photos’ record was closed");
      g_object_unref (task);
      return;
    }

  if (job->next >= job->files->len || g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      set_busy (self, FALSE);
      reload (self);
      show_errors (self, job->refusals->str);

      if (g_task_return_error_if_cancelled (task))
        ;
      else if (job->first_error != NULL)
        g_task_return_error (task, g_steal_pointer (&job->first_error));
      else
        g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  file = g_ptr_array_index (job->files, job->next);

  if (job->edit_uuid != NULL || job->note_uuid != NULL)
    {
      balise_store_attach_photo_async (self->store, file, job->edit_uuid, job->note_uuid,
                                       g_task_get_cancellable (task),
                                       photo_attached_cb, task);
    }
  else
    {
      GTask *check = g_task_new (NULL, g_task_get_cancellable (task), file_checked_cb, task);

      g_task_set_task_data (check, g_object_ref (file), g_object_unref);
      g_task_run_in_thread (check, check_in_thread);
      g_object_unref (check);
    }
}

static void
start_adding (BalisePhotoStrip    *self,
              GPtrArray           *files,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data,
              gpointer             source_tag)
{
  GTask *task;
  AddJob *job;

  job = g_new0 (AddJob, 1);
  job->files = files;
  job->edit_uuid = g_strdup (self->edit_uuid);
  job->note_uuid = g_strdup (self->note_uuid);
  job->refusals = g_string_new (NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, job, (GDestroyNotify) add_job_free);

  show_errors (self, NULL);
  set_busy (self, TRUE);
  add_next (task);
}

static void
chooser_files_added_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* Each refusal is shown in the strip already. */
  if (!balise_photo_strip_add_files_finish (BALISE_PHOTO_STRIP (object), result, &error))
    g_debug ("Not every photo was attached: %s", error->message);
}

static void
chooser_response_cb (BalisePhotoStrip     *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  g_autoptr(GListModel) files = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser))) != NULL &&
      g_list_model_get_n_items (files) > 0)
    balise_photo_strip_add_files_async (self, files, NULL, chooser_files_added_cb, NULL);

  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
}

static void
balise_photo_strip_add_clicked_cb (BalisePhotoStrip *self)
{
  static const char * const mime_types[] = {
    "image/jpeg", "image/png", "image/webp", "image/heic", "image/heif",
    "image/avif", "image/gif", "image/tiff",
  };
  g_autoptr(GtkFileFilter) photos = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  g_assert (BALISE_IS_PHOTO_STRIP (self));

  if (self->chooser != NULL || self->n_busy > 0 || !self->editable)
    return;

  gtk_file_filter_set_name (photos, _("Photos"));
  for (guint i = 0; i < G_N_ELEMENTS (mime_types); i++)
    gtk_file_filter_add_mime_type (photos, mime_types[i]);
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");

  /* GtkFileDialog is GTK 4.10; on 4.8 the native chooser (a portal in Flatpak). */
  self->chooser = gtk_file_chooser_native_new (_("Add Photos"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Add"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (self->chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), photos);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), all);
  gtk_file_chooser_set_filter (GTK_FILE_CHOOSER (self->chooser), photos);
  g_signal_connect_object (self->chooser, "response",
                           G_CALLBACK (chooser_response_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
balise_photo_strip_dismiss_clicked_cb (BalisePhotoStrip *self)
{
  show_errors (self, NULL);
}

/*
 * Viewing and removing
 */

typedef struct
{
  BalisePhotoStrip *self;
  guint             index;
} RemoveJob;

static void
photo_unlinked_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  RemoveJob *job = user_data;
  g_autoptr(BalisePhotoStrip) self = job->self;
  g_autoptr(GError) error = NULL;
  guint index = job->index;

  g_free (job);

  /* Disposed while the store worked: the link is gone all the same. */
  if (self->store == NULL)
    return;

  set_busy (self, FALSE);

  if (!balise_store_unlink_photo_finish (BALISE_STORE (object), result, &error))
    {
      g_autofree char *message = NULL;

      g_warning ("Could not remove the photo: %s", error->message);
      /* Translators: %s is the reason, from the database */
      message = g_strdup_printf (_("The photo could not be removed: %s"), error->message);
      show_errors (self, message);
      return;
    }

  reload (self);
  if (self->viewer != NULL)
    balise_photo_viewer_drop_photo (self->viewer, index);
}

static void
viewer_remove_cb (BalisePhotoStrip  *self,
                  guint              index,
                  BalisePhotoViewer *viewer)
{
  BalisePhotoItem *item;
  RemoveJob *job;

  if (index >= self->items->len || self->n_busy > 0)
    return;

  item = g_ptr_array_index (self->items, index);

  /* Not stored yet: forgetting the file is all there is to do. */
  if (item->sha256 == NULL)
    {
      g_ptr_array_remove_index (self->items, index);
      rebuild (self);
      balise_photo_viewer_drop_photo (viewer, index);
      return;
    }

  job = g_new0 (RemoveJob, 1);
  job->self = g_object_ref (self);
  job->index = index;
  set_busy (self, TRUE);
  balise_store_unlink_photo_async (self->store, item->sha256, self->edit_uuid, self->note_uuid,
                                   NULL, photo_unlinked_cb, job);
}

static void
viewer_destroy_cb (BalisePhotoStrip  *self,
                   BalisePhotoViewer *viewer)
{
  if (self->viewer == viewer)
    self->viewer = NULL;
}

static void
thumbnail_clicked_cb (GtkButton        *button,
                      BalisePhotoStrip *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  guint index;

  if (self->viewer != NULL || !g_ptr_array_find (self->buttons, button, &index))
    return;

  self->viewer = balise_photo_viewer_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                          self->store, self->items, index,
                                          self->editable);
  g_signal_connect_object (self->viewer, "remove", G_CALLBACK (viewer_remove_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->viewer, "destroy", G_CALLBACK (viewer_destroy_cb),
                           self, G_CONNECT_SWAPPED);
}

/*
 * GObject
 */

static void
balise_photo_strip_dispose (GObject *object)
{
  BalisePhotoStrip *self = (BalisePhotoStrip *)object;
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  if (self->viewer != NULL)
    gtk_window_destroy (GTK_WINDOW (self->viewer));
  self->viewer = NULL;
  if (self->buttons != NULL)
    g_ptr_array_set_size (self->buttons, 0);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);

  g_clear_object (&self->store);

  G_OBJECT_CLASS (balise_photo_strip_parent_class)->dispose (object);
}

static void
balise_photo_strip_finalize (GObject *object)
{
  BalisePhotoStrip *self = (BalisePhotoStrip *)object;

  g_clear_pointer (&self->edit_uuid, g_free);
  g_clear_pointer (&self->note_uuid, g_free);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->buttons, g_ptr_array_unref);
  g_clear_pointer (&self->thumbnails, g_hash_table_unref);

  G_OBJECT_CLASS (balise_photo_strip_parent_class)->finalize (object);
}

static void
balise_photo_strip_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  BalisePhotoStrip *self = BALISE_PHOTO_STRIP (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_EDITABLE:
      g_value_set_boolean (value, self->editable);
      break;

    case PROP_N_PHOTOS:
      g_value_set_uint (value, self->items->len);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, self->n_busy > 0);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
balise_photo_strip_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  BalisePhotoStrip *self = BALISE_PHOTO_STRIP (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_EDITABLE:
      balise_photo_strip_set_editable (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
balise_photo_strip_class_init (BalisePhotoStripClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = balise_photo_strip_dispose;
  object_class->finalize = balise_photo_strip_finalize;
  object_class->get_property = balise_photo_strip_get_property;
  object_class->set_property = balise_photo_strip_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         BALISE_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_EDITABLE] =
    g_param_spec_boolean ("editable", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_N_PHOTOS] =
    g_param_spec_uint ("n-photos", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/balise/Balise/ui/balise-photo-strip.ui");
  gtk_widget_class_bind_template_child (widget_class, BalisePhotoStrip, scroller);
  gtk_widget_class_bind_template_child (widget_class, BalisePhotoStrip, thumbnails_box);
  gtk_widget_class_bind_template_child (widget_class, BalisePhotoStrip, add_button);
  gtk_widget_class_bind_template_child (widget_class, BalisePhotoStrip, add_stack);
  gtk_widget_class_bind_template_child (widget_class, BalisePhotoStrip, spinner);
  gtk_widget_class_bind_template_child (widget_class, BalisePhotoStrip, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, BalisePhotoStrip, error_label);
  gtk_widget_class_bind_template_callback (widget_class, balise_photo_strip_add_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, balise_photo_strip_dismiss_clicked_cb);

  gtk_widget_class_set_css_name (widget_class, "photostrip");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
balise_photo_strip_init (BalisePhotoStrip *self)
{
  self->items = g_ptr_array_new_with_free_func ((GDestroyNotify) balise_photo_item_free);
  self->buttons = g_ptr_array_new ();
  self->thumbnails = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->cancellable = g_cancellable_new ();
  self->editable = TRUE;

  gtk_widget_init_template (GTK_WIDGET (self));
}

/*
 * Public API
 */

GtkWidget *
balise_photo_strip_new (BaliseStore *store)
{
  g_return_val_if_fail (BALISE_IS_STORE (store), NULL);

  return g_object_new (BALISE_TYPE_PHOTO_STRIP, "store", store, NULL);
}

void
balise_photo_strip_set_target (BalisePhotoStrip *self,
                               const char       *edit_uuid,
                               const char       *note_uuid)
{
  g_return_if_fail (BALISE_IS_PHOTO_STRIP (self));
  g_return_if_fail (edit_uuid == NULL || note_uuid == NULL);

  if (g_strcmp0 (edit_uuid, self->edit_uuid) == 0 && g_strcmp0 (note_uuid, self->note_uuid) == 0)
    return;

  g_free (self->edit_uuid);
  self->edit_uuid = g_strdup (edit_uuid);
  g_free (self->note_uuid);
  self->note_uuid = g_strdup (note_uuid);

  /* Thumbnails on their way belong to the last target. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  g_ptr_array_set_size (self->items, 0);
  show_errors (self, NULL);
  reload (self);
}

void
balise_photo_strip_set_editable (BalisePhotoStrip *self,
                                 gboolean          editable)
{
  g_return_if_fail (BALISE_IS_PHOTO_STRIP (self));

  editable = !!editable;
  if (self->editable == editable)
    return;

  self->editable = editable;
  gtk_widget_set_visible (GTK_WIDGET (self->add_button), editable);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EDITABLE]);
}

gboolean
balise_photo_strip_get_editable (BalisePhotoStrip *self)
{
  g_return_val_if_fail (BALISE_IS_PHOTO_STRIP (self), FALSE);

  return self->editable;
}

guint
balise_photo_strip_get_n_photos (BalisePhotoStrip *self)
{
  g_return_val_if_fail (BALISE_IS_PHOTO_STRIP (self), 0);

  return self->items->len;
}

gboolean
balise_photo_strip_get_busy (BalisePhotoStrip *self)
{
  g_return_val_if_fail (BALISE_IS_PHOTO_STRIP (self), FALSE);

  return self->n_busy > 0;
}

GListModel *
balise_photo_strip_get_pending_files (BalisePhotoStrip *self)
{
  GListStore *files;

  g_return_val_if_fail (BALISE_IS_PHOTO_STRIP (self), NULL);

  files = g_list_store_new (G_TYPE_FILE);
  for (guint i = 0; i < self->items->len; i++)
    {
      BalisePhotoItem *item = g_ptr_array_index (self->items, i);

      if (item->sha256 == NULL && item->file != NULL)
        g_list_store_append (files, item->file);
    }

  return G_LIST_MODEL (files);
}

void
balise_photo_strip_add_files_async (BalisePhotoStrip    *self,
                                    GListModel          *files,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  GPtrArray *array;
  guint n;

  g_return_if_fail (BALISE_IS_PHOTO_STRIP (self));
  g_return_if_fail (G_IS_LIST_MODEL (files));

  n = g_list_model_get_n_items (files);
  array = g_ptr_array_new_full (n, g_object_unref);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (array, g_list_model_get_item (files, i));

  start_adding (self, array, cancellable, callback, user_data, balise_photo_strip_add_files_async);
}

gboolean
balise_photo_strip_add_files_finish (BalisePhotoStrip  *self,
                                     GAsyncResult      *result,
                                     GError           **error)
{
  g_return_val_if_fail (BALISE_IS_PHOTO_STRIP (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
balise_photo_strip_attach_pending_async (BalisePhotoStrip    *self,
                                         const char          *edit_uuid,
                                         const char          *note_uuid,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  GPtrArray *files;

  g_return_if_fail (BALISE_IS_PHOTO_STRIP (self));
  g_return_if_fail ((edit_uuid == NULL) != (note_uuid == NULL));

  files = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < self->items->len; i++)
    {
      BalisePhotoItem *item = g_ptr_array_index (self->items, i);

      if (item->file != NULL)
        g_ptr_array_add (files, g_object_ref (item->file));
    }

  /* The thumbnails made from the files stay in the cache under their URI;
   * the stored photos get theirs once, from the store. */
  g_ptr_array_set_size (self->items, 0);
  g_free (self->edit_uuid);
  self->edit_uuid = g_strdup (edit_uuid);
  g_free (self->note_uuid);
  self->note_uuid = g_strdup (note_uuid);

  start_adding (self, files, cancellable, callback, user_data,
                balise_photo_strip_attach_pending_async);
}

gboolean
balise_photo_strip_attach_pending_finish (BalisePhotoStrip  *self,
                                          GAsyncResult      *result,
                                          GError           **error)
{
  g_return_val_if_fail (BALISE_IS_PHOTO_STRIP (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

GtkWidget *
balise_photo_strip_get_thumbnail (BalisePhotoStrip *self,
                                  guint             index)
{
  g_return_val_if_fail (BALISE_IS_PHOTO_STRIP (self), NULL);

  return index < self->buttons->len ? g_ptr_array_index (self->buttons, index) : NULL;
}

const char *
balise_photo_strip_get_sha256 (BalisePhotoStrip *self,
                               guint             index)
{
  g_return_val_if_fail (BALISE_IS_PHOTO_STRIP (self), NULL);

  if (index >= self->items->len)
    return NULL;
  return ((BalisePhotoItem *) g_ptr_array_index (self->items, index))->sha256;
}

GdkPaintable *
balise_photo_strip_get_thumbnail_paintable (BalisePhotoStrip *self,
                                            guint             index)
{
  GtkWidget *child;

  g_return_val_if_fail (BALISE_IS_PHOTO_STRIP (self), NULL);

  if (index >= self->buttons->len)
    return NULL;
  child = gtk_button_get_child (g_ptr_array_index (self->buttons, index));
  return GTK_IS_PICTURE (child) ? gtk_picture_get_paintable (GTK_PICTURE (child)) : NULL;
}

GtkWidget *
balise_photo_strip_get_error_label (BalisePhotoStrip *self)
{
  g_return_val_if_fail (BALISE_IS_PHOTO_STRIP (self), NULL);

  return GTK_WIDGET (self->error_label);
}

GtkWidget *
balise_photo_strip_get_add_button (BalisePhotoStrip *self)
{
  g_return_val_if_fail (BALISE_IS_PHOTO_STRIP (self), NULL);

  return GTK_WIDGET (self->add_button);
}

GtkWidget *
balise_photo_strip_get_viewer (BalisePhotoStrip *self)
{
  g_return_val_if_fail (BALISE_IS_PHOTO_STRIP (self), NULL);

  return self->viewer ? GTK_WIDGET (self->viewer) : NULL;
}
