/* balise-core-types.h
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _BaliseStore      BaliseStore;
typedef struct _BaliseSyncClient BaliseSyncClient;
typedef struct _BaliseEdit       BaliseEdit;
typedef struct _BaliseTags       BaliseTags;

/**
 * BaliseOsmType:
 *
 * The three kinds of OpenStreetMap element.
 */
typedef enum
{
  BALISE_OSM_NODE,
  BALISE_OSM_WAY,
  BALISE_OSM_RELATION,
} BaliseOsmType;

/**
 * BaliseEditKind:
 *
 * What an entry of the edit journal does to its target.
 */
typedef enum
{
  BALISE_EDIT_CREATE,
  BALISE_EDIT_MODIFY,
  BALISE_EDIT_DELETE,
  BALISE_EDIT_NOTE,
} BaliseEditKind;

/**
 * BaliseEditStatus:
 *
 * Where an edit is on its way from the street to the server.
 */
typedef enum
{
  BALISE_EDIT_STATUS_DRAFT,
  BALISE_EDIT_STATUS_PENDING,
  BALISE_EDIT_STATUS_APPROVED,
  BALISE_EDIT_STATUS_REJECTED,
  BALISE_EDIT_STATUS_UPLOADING,
  BALISE_EDIT_STATUS_UPLOADED,
  BALISE_EDIT_STATUS_CONFLICT,
  BALISE_EDIT_STATUS_FAILED,
  BALISE_EDIT_STATUS_UNDONE,       /* taken back by undo; redo makes it pending */
  BALISE_EDIT_STATUS_HAS_ISSUES,   /* sent back to its volunteer by a reviewer */
} BaliseEditStatus;

#define BALISE_EDIT_STATUS_LAST BALISE_EDIT_STATUS_HAS_ISSUES

#define BALISE_STORE_ERROR (balise_store_error_quark ())
#define BALISE_OSM_ERROR   (balise_osm_error_quark ())
#define BALISE_SYNC_ERROR  (balise_sync_error_quark ())

typedef enum
{
  BALISE_STORE_ERROR_FAILED,
  BALISE_STORE_ERROR_TOO_NEW,      /* written by a newer Balise: refused, untouched */
  BALISE_STORE_ERROR_CORRUPT,      /* not a Balise database, or damaged */
  BALISE_STORE_ERROR_NOT_FOUND,
  BALISE_STORE_ERROR_INVALID,      /* bad input: a tag too long, a position off the globe */
  BALISE_STORE_ERROR_FULL,         /* the disk is full */
  BALISE_STORE_ERROR_UPLOADED,     /* already on the server: cannot be taken back */
  BALISE_STORE_ERROR_EXISTS,       /* a profile of that name is there already */
  BALISE_STORE_ERROR_TOO_LARGE,    /* a photo over the size limit */
} BaliseStoreError;

typedef enum
{
  BALISE_OSM_ERROR_PARSE,          /* malformed XML or an unexpected document */
  BALISE_OSM_ERROR_INVALID_TAG,    /* violates OSM's tag rules */
} BaliseOsmError;

typedef enum
{
  BALISE_SYNC_ERROR_FAILED,
  BALISE_SYNC_ERROR_NETWORK,       /* no answer: offline, refused, timed out */
  BALISE_SYNC_ERROR_BAD_RESPONSE,  /* an answer that is not what the API sends */
  BALISE_SYNC_ERROR_UNAUTHORIZED,  /* 401: sign in again */
  BALISE_SYNC_ERROR_FORBIDDEN,     /* 403 */
  BALISE_SYNC_ERROR_NOT_FOUND,     /* 404 */
  BALISE_SYNC_ERROR_CONFLICT,      /* 409 version mismatch */
  BALISE_SYNC_ERROR_CHANGESET_CLOSED, /* 409 the changeset was closed */
  BALISE_SYNC_ERROR_GONE,          /* 410 */
  BALISE_SYNC_ERROR_PRECONDITION,  /* 412 */
  BALISE_SYNC_ERROR_TOO_LARGE,     /* 413 */
  BALISE_SYNC_ERROR_RATE_LIMITED,  /* 429, 509 */
  BALISE_SYNC_ERROR_UNAVAILABLE,   /* 503, or the API is offline/read-only */
  BALISE_SYNC_ERROR_BAD_REQUEST,   /* 400 */
  BALISE_SYNC_ERROR_SERVER,        /* other 5xx */
  BALISE_SYNC_ERROR_INVALID,       /* bad input: a comment too long, a word that is no hashtag */
  BALISE_SYNC_ERROR_BUSY,          /* another sync of the same database is running */
} BaliseSyncError;

GQuark      balise_store_error_quark      (void);
GQuark      balise_osm_error_quark        (void);
GQuark      balise_sync_error_quark       (void);

const char *balise_osm_type_to_string     (BaliseOsmType     type);
gboolean    balise_osm_type_from_string   (const char       *str,
                                           BaliseOsmType    *type);
const char *balise_edit_kind_to_string    (BaliseEditKind    kind);
gboolean    balise_edit_kind_from_string  (const char       *str,
                                           BaliseEditKind   *kind);
const char *balise_edit_status_to_string  (BaliseEditStatus  status);
gboolean    balise_edit_status_from_string (const char      *str,
                                            BaliseEditStatus *status);

G_END_DECLS
