/* balise-record-dialog-private.h: what the record dialog's files share
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-duplicate-check.h"
#include "balise-note.h"
#include "balise-photo-strip.h"
#include "balise-preset-chooser.h"
#include "balise-preset-form.h"
#include "balise-record-dialog.h"

G_BEGIN_DECLS

struct _BaliseRecordDialog
{
  AdwWindow              parent_instance;

  /* Template widgets */
  AdwToastOverlay       *toast_overlay;
  AdwWindowTitle        *window_title;
  GtkButton             *back_button;
  GtkButton             *cancel_button;
  GtkButton             *done_button;
  GtkRevealer           *error_revealer;
  GtkLabel              *error_label;
  BaliseDuplicateCheck  *duplicate_check;
  GtkStack              *stack;
  AdwBin                *chooser_bin;
  AdwStatusPage         *duplicate_page;
  GtkButton             *edit_existing_button;
  GtkButton             *record_new_button;
  AdwBin                *form_bin;

  /* Borrowed references */
  BalisePresetChooser   *chooser;
  BalisePresetForm      *form;
  BalisePhotoStrip      *photo_strip;

  /* Owned references */
  BaliseStore           *store;
  BalisePresetCatalogue *catalogue;
  GSettings             *settings;
  char                  *contributor;
  BalisePreset          *preset;
  BaliseFeature         *duplicate;   /* found near when the preset was chosen */
  BaliseFeature         *editing;     /* the existing element the form changes */
  BaliseTags            *base_tags;   /* what the answers apply to */
  char                  *draft_uuid;
  BaliseNote            *note;        /* the fault, once written */
  GCancellable          *cancellable;
  char                  *last_message; /* the last toast, for tests */

  /* Photos that follow the volunteer from a form left for another one
   * (balise-record-dialog-photos.c) */
  char                  *carried_uuid;  /* the draft left, which holds them */
  GListStore            *carried_files; /* chosen, not stored yet: GFile */
  BaliseFeature         *leave_then;    /* the form to open once left */
  GHashTable            *leave_values;  /* the answers it starts from */

  double                 latitude;
  double                 longitude;
  guint                  save_source;

  /* A fault reported about a feature on the map (new_report) */
  BaliseOsmType          about_type;
  gint64                 about_id;

  guint                  creating : 1;   /* the draft is being written */
  guint                  writing : 1;    /* an answer is being written */
  guint                  dirty : 1;      /* answers newer than the draft */
  guint                  closing : 1;    /* commit once the writes are done */
  guint                  finished : 1;   /* committed or discarded: close */
  guint                  photos_wait : 1; /* filing waits for photos on their way */
  guint                  attach_wait : 1; /* the draft waits for photos on their way */
  guint                  leaving : 1;    /* the form is being left for another */
  guint                  moving : 1;     /* carried photos are being moved */
};

/* balise-record-dialog.c */
void      _balise_record_dialog_show_error       (BaliseRecordDialog *self,
                                                  const char         *message);
void      _balise_record_dialog_show_toast       (BaliseRecordDialog *self,
                                                  const char         *message);
void      _balise_record_dialog_go_back          (BaliseRecordDialog *self);
void      _balise_record_dialog_show_form        (BaliseRecordDialog *self,
                                                  BalisePreset       *preset,
                                                  BaliseFeature      *existing,
                                                  GHashTable         *carried);
void      _balise_record_dialog_commit           (BaliseRecordDialog *self);
void      _balise_record_dialog_finish           (BaliseRecordDialog *self,
                                                  const char         *saved_what);

/* balise-record-dialog-discard.c */
void      _balise_record_dialog_discard          (BaliseRecordDialog *self);
void      _balise_record_dialog_ask_discard      (BaliseRecordDialog *self,
                                                  gboolean            back);
void      _balise_record_dialog_form_discard_cb  (BaliseRecordDialog *self);

/* balise-record-dialog-note.c */
void      _balise_record_dialog_commit_note      (BaliseRecordDialog *self,
                                                  GHashTable         *values);
void      _balise_record_dialog_note_file_photos (BaliseRecordDialog *self);

/* balise-record-dialog-photos.c */
guint     _balise_record_dialog_count_carried    (BaliseRecordDialog *self);
void      _balise_record_dialog_photos_settled   (BaliseRecordDialog *self);
void      _balise_record_dialog_file_draft_photos (BaliseRecordDialog *self);
void      _balise_record_dialog_carry_to_strip   (BaliseRecordDialog *self);
void      _balise_record_dialog_carry_to_draft   (BaliseRecordDialog *self);
void      _balise_record_dialog_carry_to_note    (BaliseRecordDialog *self);
void      _balise_record_dialog_leave_form       (BaliseRecordDialog *self,
                                                  BaliseFeature      *then_edit,
                                                  GHashTable         *values);
void      _balise_record_dialog_leave_settled    (BaliseRecordDialog *self);
void      _balise_record_dialog_drop_carried     (BaliseRecordDialog *self);
void      _balise_record_dialog_ask_drop_carried (BaliseRecordDialog *self);

G_END_DECLS
