/* balise-store-query.h: what the map, the lists and the search show
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-store.h"
#include "balise-tags.h"

G_BEGIN_DECLS

/**
 * BaliseFeatureStatus:
 *
 * How the local journal changes a feature: not at all, or the kind or the
 * state of its latest unsent edit.
 */
typedef enum
{
  BALISE_FEATURE_CLEAN,
  BALISE_FEATURE_NEW,
  BALISE_FEATURE_MODIFIED,
  BALISE_FEATURE_DELETED,
  BALISE_FEATURE_CONFLICT,
  BALISE_FEATURE_UPLOADED,
} BaliseFeatureStatus;

#define BALISE_TYPE_FEATURE (balise_feature_get_type ())

typedef struct _BaliseFeature BaliseFeature;

/**
 * BaliseFeature:
 *
 * The effective state of one feature: the base copy of the server's data
 * with the latest unsent edit of the journal applied.
 */
struct _BaliseFeature
{
  /*< public >*/
  BaliseOsmType        osm_type;
  gint64               osm_id;      /* negative for a local create */
  gint64               version;     /* of the base copy; 0 for a create */
  double               lat;
  double               lon;
  const char          *category;    /* interned */
  char                *name;
  char                *ref;
  BaliseTags          *tags;
  BaliseFeatureStatus  status;
  double               distance;    /* metres, set by balise_store_query_near() */
  char                *edit_uuid;   /* its latest edit that stands, set by
                                     * balise_store_get_feature(); NULL if none */

  /*< private >*/
  gatomicrefcount      ref_count;
};

typedef struct
{
  double lat;                       /* mean of the features in the cell */
  double lon;
  guint  count;
} BaliseCluster;

GType          balise_feature_get_type        (void) G_GNUC_CONST;
BaliseFeature *balise_feature_new             (void);
BaliseFeature *balise_feature_ref             (BaliseFeature        *self);
void           balise_feature_unref           (BaliseFeature        *self);
const char    *balise_feature_status_to_string (BaliseFeatureStatus  status);
gboolean       balise_feature_status_from_string (const char         *str,
                                                  BaliseFeatureStatus *status);

/* TRUE for categories the map draws as background, never as features:
 * road, building, water, landuse, railway and place. */
gboolean       balise_category_is_basemap     (const char           *category);

/* Features in the box, deleted ones left out; at most @limit (0: no limit),
 * the journal's creates and changes first. */
GPtrArray     *balise_store_query_viewport    (BaliseStore          *self,
                                               double                west,
                                               double                south,
                                               double                east,
                                               double                north,
                                               guint                 limit,
                                               GError              **error);
/* The same, with the pending deletes as BALISE_FEATURE_DELETED when
 * @include_deleted is TRUE. */
GPtrArray     *balise_store_query_features    (BaliseStore          *self,
                                               double                west,
                                               double                south,
                                               double                east,
                                               double                north,
                                               guint                 limit,
                                               gboolean              include_deleted,
                                               GError              **error);

/* The features of the box counted in a grid of @grid_cols × @grid_rows
 * cells; only the cells holding features, as BaliseCluster. The counts add
 * up to what balise_store_query_viewport() returns without a limit. */
GArray        *balise_store_query_clusters    (BaliseStore          *self,
                                               double                west,
                                               double                south,
                                               double                east,
                                               double                north,
                                               guint                 grid_cols,
                                               guint                 grid_rows,
                                               GError              **error);

/* Features whose name or ref contains @text, or whose category starts with
 * it, ignoring case; the matches at the start of the name first. */
GPtrArray     *balise_store_search            (BaliseStore          *self,
                                               const char           *text,
                                               guint                 limit,
                                               GError              **error);

/* The same on a thread with its own connection, for the window. */
void           balise_store_search_async      (BaliseStore          *self,
                                               const char           *text,
                                               guint                 limit,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
GPtrArray     *balise_store_search_finish     (BaliseStore          *self,
                                               GAsyncResult         *result,
                                               GError              **error);

/* One feature's effective state, deleted and uploaded ones included;
 * BALISE_STORE_ERROR_NOT_FOUND when there is none. */
BaliseFeature *balise_store_get_feature       (BaliseStore          *self,
                                               BaliseOsmType         osm_type,
                                               gint64                osm_id,
                                               GError              **error);

/* Features within @radius_m metres, nearest first, of @category only
 * unless it is NULL; each with its distance. */
GPtrArray     *balise_store_query_near        (BaliseStore          *self,
                                               double                lat,
                                               double                lon,
                                               double                radius_m,
                                               const char           *category,
                                               GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BaliseFeature, balise_feature_unref)

G_END_DECLS
