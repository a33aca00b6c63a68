/* balise-review-labels.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-review-labels"

#include "config.h"

#include <glib/gi18n.h>

#include "balise-category.h"
#include "balise-review-labels.h"

typedef struct
{
  const char *id;
  const char *label;
} CategoryLabel;

static const CategoryLabel category_labels[] = {
  { "bus_stop", N_("Bus stop") },
  { "stop_position", N_("Stop position") },
  { "shelter", N_("Shelter") },
  { "defibrillator", N_("Defibrillator") },
  { "drinking_water", N_("Drinking water") },
  { "toilets", N_("Toilets") },
  { "bench", N_("Bench") },
  { "waste_basket", N_("Waste basket") },
  { "recycling", N_("Recycling") },
  { "food_bank", N_("Food bank") },
  { "community_centre", N_("Community centre") },
  { "library", N_("Library") },
  { "public_bookcase", N_("Public bookcase") },
  { "social_facility", N_("Social facility") },
  { "bicycle_parking", N_("Bicycle parking") },
  { "charging_station", N_("Charging station") },
  { "pharmacy", N_("Pharmacy") },
  { "post_box", N_("Post box") },
  { "wifi", N_("Wi-Fi") },
  { "street_lamp", N_("Street lamp") },
  { "kerb", N_("Kerb") },
  { "amenity", N_("Amenity") },
  { "shop", N_("Shop") },
  { "tourism", N_("Tourism") },
  { "leisure", N_("Leisure") },
  { "railway", N_("Railway") },
  { "road", N_("Road") },
  { "building", N_("Building") },
  { "water", N_("Water") },
  { "landuse", N_("Land use") },
  { "place", N_("Place") },
  { "other", N_("Other") },
};

const char *
balise_category_label (const char *category)
{
  if (category == NULL)
    return _("Other");

  for (guint i = 0; i < G_N_ELEMENTS (category_labels); i++)
    {
      if (g_str_equal (category_labels[i].id, category))
        return _(category_labels[i].label);
    }

  return category;
}

const char *
balise_edit_status_label (BaliseEditStatus status)
{
  switch (status)
    {
    case BALISE_EDIT_STATUS_DRAFT:
      return _("Draft");
    case BALISE_EDIT_STATUS_PENDING:
      return _("To review");
    case BALISE_EDIT_STATUS_APPROVED:
      return _("Approved");
    case BALISE_EDIT_STATUS_REJECTED:
      return _("Rejected");
    case BALISE_EDIT_STATUS_UPLOADING:
      return _("Uploading");
    case BALISE_EDIT_STATUS_UPLOADED:
      return _("Uploaded");
    case BALISE_EDIT_STATUS_CONFLICT:
      return _("Conflict");
    case BALISE_EDIT_STATUS_FAILED:
      return _("Failed");
    case BALISE_EDIT_STATUS_UNDONE:
      return _("Undone");
    case BALISE_EDIT_STATUS_HAS_ISSUES:
      return _("Has issues");
    default:
      return balise_edit_status_to_string (status);
    }
}

const char *
balise_edit_category (BaliseEdit *edit)
{
  const char *category;

  g_return_val_if_fail (edit != NULL, NULL);

  category = balise_osm_category_for_tags (edit->new_tags ? edit->new_tags : edit->base_tags);

  return category ? category : "other";
}

char *
balise_edit_title (BaliseEdit *edit)
{
  BaliseTags *tags;
  const char *name = NULL;

  g_return_val_if_fail (edit != NULL, NULL);

  tags = edit->new_tags ? edit->new_tags : edit->base_tags;
  if (tags != NULL)
    {
      name = balise_tags_lookup (tags, "name");
      if (name == NULL)
        name = balise_tags_lookup (tags, "ref");
    }

  if (name != NULL)
    /* Translators: a category and the name of the thing, e.g. Bus stop “Gare” */
    return g_strdup_printf (_("%s “%s”"), balise_category_label (balise_edit_category (edit)), name);

  return g_strdup (balise_category_label (balise_edit_category (edit)));
}

const char *
balise_edit_kind_label (BaliseEdit *edit)
{
  g_return_val_if_fail (edit != NULL, NULL);

  switch (edit->kind)
    {
    case BALISE_EDIT_CREATE:
      return _("Added");
    case BALISE_EDIT_DELETE:
      return _("Removed");
    case BALISE_EDIT_NOTE:
      return _("Fault reported");
    case BALISE_EDIT_MODIFY:
    default:
      return _("Changed");
    }
}

const char *
balise_edit_kind_icon_name (BaliseEdit *edit)
{
  g_return_val_if_fail (edit != NULL, NULL);

  switch (edit->kind)
    {
    case BALISE_EDIT_CREATE:
      return "list-add-symbolic";
    case BALISE_EDIT_DELETE:
      return "user-trash-symbolic";
    case BALISE_EDIT_NOTE:
      return "dialog-warning-symbolic";
    case BALISE_EDIT_MODIFY:
    default:
      return "document-edit-symbolic";
    }
}
