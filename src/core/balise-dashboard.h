/* balise-dashboard.h: the coordinator's numbers, and the same as CSV
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-import.h"
#include "balise-store.h"

G_BEGIN_DECLS

/* How long ago a bus stop was last seen, from its check_date. */
typedef enum
{
  BALISE_FRESHNESS_RECENT,     /* checked within the recent period */
  BALISE_FRESHNESS_AGING,      /* checked, more than the recent period ago but within a year */
  BALISE_FRESHNESS_STALE,      /* not seen for over a year */
  BALISE_FRESHNESS_UNKNOWN,    /* no check_date, or one that is not a date */
} BaliseFreshness;

typedef struct
{
  BaliseOsmType    osm_type;
  gint64           osm_id;
  double           lat;
  double           lon;
  BaliseFreshness  freshness;
} BaliseStopCheck;

/**
 * BaliseDashboard:
 *
 * The journal's edits (notes left out) counted per category, contributor,
 * status and local day, and the bus stops of the effective state by how
 * recently they were confirmed. The count arrays hold BaliseCount.
 */
typedef struct
{
  GPtrArray *by_category;      /* largest first, then by name */
  GPtrArray *by_contributor;   /* largest first, then by name */
  GPtrArray *by_status;        /* in the order of BaliseEditStatus, zeros left out */
  GPtrArray *per_day;          /* YYYY-MM-DD, oldest first, days without edits left out */
  guint      stops[BALISE_FRESHNESS_UNKNOWN + 1];
  guint      edits;            /* every edit counted */
  GArray    *stop_checks;      /* BaliseStopCheck: the stops counted in @stops, for a map */
} BaliseDashboard;

void             balise_dashboard_free          (BaliseDashboard  *dashboard);
const char      *balise_freshness_to_string     (BaliseFreshness   freshness);

/* The freshness of a check_date on @today: RECENT within @recent_days,
 * STALE beyond 365 days, AGING between. A date in the future is RECENT. */
BaliseFreshness  balise_freshness_for_check_date (const char      *check_date,
                                                  GDate           *today,
                                                  guint            recent_days);

/* @today: the day to judge from, or NULL for today (local time). */
BaliseDashboard *balise_store_get_dashboard     (BaliseStore      *self,
                                                 GDate            *today,
                                                 guint             recent_days,
                                                 GError          **error);
void             balise_store_get_dashboard_async  (BaliseStore         *self,
                                                    GDate               *today,
                                                    guint                recent_days,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
BaliseDashboard *balise_store_get_dashboard_finish (BaliseStore         *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
/* The bus stops of the effective state in the box, with their freshness,
 * for the map. BaliseStopCheck elements. */
GArray          *balise_store_query_stop_checks (BaliseStore      *self,
                                                 double            west,
                                                 double            south,
                                                 double            east,
                                                 double            north,
                                                 GDate            *today,
                                                 guint             recent_days,
                                                 GError          **error);
/* The dashboard as CSV (RFC 4180, a header line "section,key,count"), one
 * line per number: sections category, contributor, status, day, stops. */
char            *balise_dashboard_to_csv        (BaliseDashboard  *dashboard);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BaliseDashboard, balise_dashboard_free)

G_END_DECLS
