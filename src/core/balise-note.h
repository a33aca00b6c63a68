/* balise-note.h: a fault recorded in the field, on its way to an OSM note
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-core-types.h"

G_BEGIN_DECLS

typedef struct _BaliseNote        BaliseNote;
typedef struct _BaliseNoteComment BaliseNoteComment;

/* OSM's limit on the text of a note or a note comment, in characters. */
#define BALISE_NOTE_MAX_CHARS 2000

/**
 * BaliseNoteStatus:
 *
 * Where a note is: the first statuses belong to the people who record and
 * review it; uploading, open, closed and hidden are set by sync only.
 */
typedef enum
{
  BALISE_NOTE_STATUS_PENDING,
  BALISE_NOTE_STATUS_APPROVED,
  BALISE_NOTE_STATUS_REJECTED,
  BALISE_NOTE_STATUS_UPLOADING,   /* sent: it may exist on the server */
  BALISE_NOTE_STATUS_OPEN,        /* on the server, open */
  BALISE_NOTE_STATUS_CLOSED,      /* on the server, resolved */
  BALISE_NOTE_STATUS_HIDDEN,      /* on the server, hidden by a moderator */
  BALISE_NOTE_STATUS_FAILED,      /* refused by the server; ready to be sent again */
  BALISE_NOTE_STATUS_UNDONE,      /* taken back by undo; redo makes it pending */
  BALISE_NOTE_STATUS_HAS_ISSUES,  /* sent back to its volunteer by a reviewer */
} BaliseNoteStatus;

#define BALISE_NOTE_STATUS_LAST BALISE_NOTE_STATUS_HAS_ISSUES
#define BALISE_NOTE_STATUS_MASK(s) (1u << (s))

/**
 * BaliseNoteComment:
 *
 * One entry of a note's discussion on the server, the opening text included.
 */
struct _BaliseNoteComment
{
  GDateTime *date;
  char      *user;     /* NULL when anonymous */
  char      *action;   /* "opened", "commented", "closed", "reopened", "hidden" */
  char      *text;
};

/**
 * BaliseNote:
 *
 * A fault (a pothole, a street light out) as the store keeps it. A note
 * may name the element it is about (@element_id 0 when none).
 */
struct _BaliseNote
{
  /*< public >*/
  gint64            id;             /* row id, 0 until stored */
  char             *uuid;
  double            lat;
  double            lon;
  char             *category;       /* e.g. "pothole", the fault preset's category */
  char             *text;           /* what the server gets, readable by a mapper */
  BaliseOsmType     element_type;
  gint64            element_id;     /* 0 when the note is not about an element */
  char             *contributor;
  GDateTime        *created_at;
  BaliseNoteStatus  status;
  gint64            osm_note_id;    /* 0 until the server has it */
  char             *server;         /* the API URL it was sent to; NULL before
                                     * Balise recorded it (schema 6) */
  char             *error;
  char             *preset;
  char             *reason;
  char             *review_comment;
  char             *reviewer;
  GDateTime        *reviewed_at;
  GPtrArray        *comments;       /* of BaliseNoteComment, from the server; may be empty */
  GDateTime        *refreshed_at;   /* when the comments were last fetched */
  GDateTime        *updated_at;     /* when the status last changed */

  /*< private >*/
  gatomicrefcount   ref_count;
};

#define BALISE_TYPE_NOTE (balise_note_get_type ())

GType               balise_note_get_type          (void) G_GNUC_CONST;
BaliseNote         *balise_note_new               (double              lat,
                                                   double              lon,
                                                   const char         *category,
                                                   const char         *text);
BaliseNote         *balise_note_ref               (BaliseNote         *self);
void                balise_note_unref             (BaliseNote         *self);
gboolean            balise_note_validate          (BaliseNote         *self,
                                                   GError            **error);
/* Sent to the server or beyond: its text can no longer change. */
gboolean            balise_note_is_on_server      (BaliseNote         *self);

BaliseNoteComment  *balise_note_comment_new       (GDateTime          *date,
                                                   const char         *user,
                                                   const char         *action,
                                                   const char         *text);
void                balise_note_comment_free      (BaliseNoteComment  *comment);
/* The comments as the store keeps them: a JSON array of {date, user, action, text}. */
char               *balise_note_comments_to_json  (GPtrArray          *comments);
GPtrArray          *balise_note_comments_from_json (const char        *json,
                                                    GError           **error);

const char         *balise_note_status_to_string  (BaliseNoteStatus    status);
gboolean            balise_note_status_from_string (const char        *str,
                                                    BaliseNoteStatus  *status);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BaliseNote, balise_note_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BaliseNoteComment, balise_note_comment_free)

G_END_DECLS
