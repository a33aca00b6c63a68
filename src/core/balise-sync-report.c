/* balise-sync-report.c: what a sync did, in plain language
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-sync"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "balise-category.h"
#include "balise-sync-client-private.h"

void
_balise_sync_report_count (BaliseSyncReport *report,
                           BaliseEdit       *edit)
{
  BaliseTags *tags = edit->new_tags != NULL ? edit->new_tags : edit->base_tags;
  const char *category = tags != NULL ? balise_osm_category_for_tags (tags) : NULL;
  guint i;

  if (category == NULL)
    category = "";

  for (i = 0; i < report->n_parts; i++)
    {
      BaliseSyncReportPart *part = &report->parts[i];

      if (part->kind == edit->kind && strcmp (part->category, category) == 0)
        {
          part->count++;
          /* Keep the largest first. */
          while (i > 0 && report->parts[i - 1].count < report->parts[i].count)
            {
              BaliseSyncReportPart swap = report->parts[i - 1];

              report->parts[i - 1] = report->parts[i];
              report->parts[i] = swap;
              i--;
            }
          return;
        }
    }

  if (report->n_parts == BALISE_SYNC_REPORT_MAX_PARTS || strlen (category) >= sizeof report->parts[0].category)
    {
      report->other_changes++;
      return;
    }

  g_strlcpy (report->parts[i].category, category, sizeof report->parts[i].category);
  report->parts[i].kind = edit->kind;
  report->parts[i].count = 1;
  report->n_parts++;
}

/* "12 bus stops", in the person's language. */
static char *
count_features (const char *category,
                guint       n)
{
  if (g_strcmp0 (category, "bus_stop") == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u bus stop", "%u bus stops", n), n);
  if (g_strcmp0 (category, "shelter") == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u shelter", "%u shelters", n), n);
  if (g_strcmp0 (category, "bench") == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u bench", "%u benches", n), n);
  if (g_strcmp0 (category, "waste_basket") == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u waste basket", "%u waste baskets", n), n);
  if (g_strcmp0 (category, "street_lamp") == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u street lamp", "%u street lamps", n), n);
  if (g_strcmp0 (category, "drinking_water") == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u drinking water tap",
                                         "%u drinking water taps", n), n);
  if (g_strcmp0 (category, "toilets") == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u toilet", "%u toilets", n), n);
  if (g_strcmp0 (category, "defibrillator") == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u defibrillator", "%u defibrillators", n), n);
  if (g_strcmp0 (category, "bicycle_parking") == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u bicycle parking", "%u bicycle parkings", n), n);
  if (g_strcmp0 (category, "recycling") == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u recycling point", "%u recycling points", n), n);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u feature", "%u features", n), n);
}

static char *
describe_part (const BaliseSyncReportPart *part)
{
  g_autofree char *what = count_features (part->category, part->count);

  switch (part->kind)
    {
    /* Translators: %s is a number of features, e.g. "12 bus stops". */
    case BALISE_EDIT_CREATE: return g_strdup_printf (C_("sync result", "%s added"), what);
    /* Translators: %s is a number of features, e.g. "3 shelters". */
    case BALISE_EDIT_MODIFY: return g_strdup_printf (C_("sync result", "%s updated"), what);
    /* Translators: %s is a number of features, e.g. "1 bench". */
    case BALISE_EDIT_DELETE: return g_strdup_printf (C_("sync result", "%s removed"), what);
    case BALISE_EDIT_NOTE:
    default:
      return g_strdup_printf (C_("sync result", "%s sent"), what);
    }
}

/**
 * balise_sync_report_describe:
 *
 * Returns: a plain-language summary, e.g. "12 bus stops added, 3 shelters
 * updated, 1 conflict to decide".
 */
char *
balise_sync_report_describe (const BaliseSyncReport *report)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (report != NULL, NULL);

  if (report->n_parts > 0)
    {
      for (guint i = 0; i < report->n_parts; i++)
        g_ptr_array_add (parts, describe_part (&report->parts[i]));
      if (report->other_changes > 0)
        g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u other change",
                                                              "%u other changes",
                                                              report->other_changes),
                                                 report->other_changes));
    }
  else
    {
      /* Counts alone, when the edits are not known by category. */
      if (report->created > 0)
        g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u feature added",
                                                              "%u features added", report->created),
                                                 report->created));
      if (report->modified > 0)
        g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u updated",
                                                              "%u updated", report->modified),
                                                 report->modified));
      if (report->deleted > 0)
        g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u deleted",
                                                              "%u deleted", report->deleted),
                                                 report->deleted));
    }

  if (report->notes > 0)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u note sent",
                                                          "%u notes sent", report->notes),
                                             report->notes));
  if (report->notes_closed > 0)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u note closed",
                                                          "%u notes closed", report->notes_closed),
                                             report->notes_closed));
  if (report->conflicts > 0)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u conflict to decide",
                                                          "%u conflicts to decide",
                                                          report->conflicts),
                                             report->conflicts));
  if (report->failed > 0)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u refused by the server",
                                                          "%u refused by the server",
                                                          report->failed),
                                             report->failed));

  if (parts->len == 0)
    return g_strdup (_("Nothing to send: everything is up to date"));

  g_ptr_array_add (parts, NULL);
  return g_strjoinv (", ", (char **) parts->pdata);
}
