/* balise-cli-review.c: review list|approve|reject|issues
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "balise-cli.h"

static const char * const decision_statuses[] = { "approved", "rejected", "has_issues" };

static const struct
{
  const char           *name;
  BaliseQueueGrouping   grouping;
} groupings[] = {
  { "contributor", BALISE_QUEUE_BY_CONTRIBUTOR },
  { "day", BALISE_QUEUE_BY_DAY },
  { "category", BALISE_QUEUE_BY_CATEGORY },
  { "area", BALISE_QUEUE_BY_AREA },
};

/* The full uuid of the edit or note that @id (a uuid, or the start of one
 * of at least 4 characters, as `queue` and `review list` print) names;
 * *is_note tells which. */
static char *
resolve_id (GPtrArray   *edits,
            GPtrArray   *notes,
            const char  *id,
            gboolean    *is_note,
            GError     **error)
{
  const char *found = NULL;

  if (strlen (id) < 4)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "“%s”: give at least the first 4 characters of the id", id);
      return NULL;
    }
  for (guint i = 0; i < edits->len + notes->len; i++)
    {
      const char *uuid = i < edits->len
        ? ((BaliseEdit *) g_ptr_array_index (edits, i))->uuid
        : ((BaliseNote *) g_ptr_array_index (notes, i - edits->len))->uuid;

      if (!g_str_has_prefix (uuid, id))
        continue;
      if (found != NULL)
        {
          g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID,
                       "“%s” names more than one edit or note; give more of its id", id);
          return NULL;
        }
      found = uuid;
      *is_note = i >= edits->len;
    }
  if (found == NULL)
    {
      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND,
                   "No edit or note “%s” in the journal", id);
      return NULL;
    }
  return g_strdup (found);
}

static char *
format_diff (BaliseEdit *edit)
{
  g_autoptr(GPtrArray) diff = balise_tags_diff (edit->base_tags, edit->new_tags);
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < diff->len; i++)
    {
      BaliseTagChange *change = g_ptr_array_index (diff, i);

      if (text->len > 0)
        g_string_append_c (text, ' ');
      switch (change->kind)
        {
        case BALISE_TAG_ADDED:
          g_string_append_printf (text, "+%s=%s", change->key, change->new_value);
          break;
        case BALISE_TAG_REMOVED:
          g_string_append_printf (text, "-%s", change->key);
          break;
        case BALISE_TAG_CHANGED:
        default:
          g_string_append_printf (text, "~%s=%s→%s", change->key, change->old_value,
                                  change->new_value);
          break;
        }
    }
  return g_string_free (text, FALSE);
}

static int
review_list (BaliseCli   *cli,
             const char  *by,
             const char  *search,
             gboolean     all,
             GError     **error)
{
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GPtrArray) ready = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  guint note_mask = BALISE_NOTE_STATUS_MASK (BALISE_NOTE_STATUS_PENDING) |
                    BALISE_NOTE_STATUS_MASK (BALISE_NOTE_STATUS_HAS_ISSUES);
  BaliseQueueGrouping grouping = BALISE_QUEUE_BY_CONTRIBUTOR;
  gboolean known = by == NULL;
  guint mask = 0;
  guint total = 0;

  for (guint i = 0; by != NULL && i < G_N_ELEMENTS (groupings); i++)
    {
      if (g_str_equal (by, groupings[i].name))
        {
          grouping = groupings[i].grouping;
          known = TRUE;
        }
    }
  if (!known)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--by %s: expected contributor, day, category or area", by);
      return BALISE_CLI_EXIT_USAGE;
    }
  if (all)
    note_mask |= BALISE_NOTE_STATUS_MASK (BALISE_NOTE_STATUS_APPROVED) |
                 BALISE_NOTE_STATUS_MASK (BALISE_NOTE_STATUS_REJECTED) |
                 BALISE_NOTE_STATUS_MASK (BALISE_NOTE_STATUS_FAILED);
  if (all)
    mask = BALISE_EDIT_STATUS_MASK (BALISE_EDIT_STATUS_PENDING) |
           BALISE_EDIT_STATUS_MASK (BALISE_EDIT_STATUS_HAS_ISSUES) |
           BALISE_EDIT_STATUS_MASK (BALISE_EDIT_STATUS_APPROVED) |
           BALISE_EDIT_STATUS_MASK (BALISE_EDIT_STATUS_REJECTED) |
           BALISE_EDIT_STATUS_MASK (BALISE_EDIT_STATUS_CONFLICT) |
           BALISE_EDIT_STATUS_MASK (BALISE_EDIT_STATUS_FAILED);

  groups = balise_store_list_review_queue (cli->store, mask, grouping, search, error);
  if (groups == NULL)
    return BALISE_CLI_EXIT_ERROR;

  for (guint i = 0; i < groups->len; i++)
    {
      BaliseQueueGroup *group = g_ptr_array_index (groups, i);

      g_print ("%s (%u)\n", group->label, group->edits->len);
      for (guint j = 0; j < group->edits->len; j++)
        {
          BaliseEdit *edit = g_ptr_array_index (group->edits, j);
          g_autofree char *diff = format_diff (edit);

          g_print ("  %.8s  %-6s  %-10s  %-12s  %s\n", edit->uuid,
                   balise_edit_kind_to_string (edit->kind),
                   balise_edit_status_to_string (edit->status),
                   edit->contributor ? edit->contributor : "-", diff);
          if (edit->review_comment != NULL)
            g_print ("          %s: %s\n", edit->reviewer ? edit->reviewer : "", edit->review_comment);
        }
      total += group->edits->len;
    }

  notes = balise_store_list_notes (cli->store, note_mask, error);
  if (notes == NULL)
    return BALISE_CLI_EXIT_ERROR;
  if (notes->len > 0)
    g_print (_("Notes (%u)\n"), notes->len);
  for (guint i = 0; i < notes->len; i++)
    {
      BaliseNote *note = g_ptr_array_index (notes, i);

      if (search != NULL && *search != '\0' && strstr (note->text, search) == NULL &&
          g_strcmp0 (note->contributor, search) != 0 && g_strcmp0 (note->category, search) != 0)
        continue;
      g_print ("  %.8s  note    %-10s  %-12s  %s: %s\n", note->uuid,
               balise_note_status_to_string (note->status),
               note->contributor ? note->contributor : "-", note->category, note->text);
      if (note->review_comment != NULL)
        g_print ("          %s: %s\n", note->reviewer ? note->reviewer : "", note->review_comment);
    }

  ready = balise_store_list_ready_edits (cli->store, error);
  if (ready == NULL)
    return BALISE_CLI_EXIT_ERROR;
  g_print (g_dngettext (GETTEXT_PACKAGE, "%u edit to review", "%u edits to review", total), total);
  g_print ("; ");
  g_print (g_dngettext (GETTEXT_PACKAGE, "%u ready to upload", "%u ready to upload", ready->len),
           ready->len);
  g_print (" (%s)\n", balise_store_get_review_before_upload (cli->store)
                        ? _("review before upload is on") : _("review before upload is off"));
  if (ready->len > 0)
    {
      g_autofree char *summary = balise_store_summarize_edits (cli->store, ready);
      g_auto(GStrv) credits = balise_changeset_credits (ready);
      g_autofree char *names = g_strjoinv (", ", credits);

      g_print (_("Comment: %s\n"), summary);
      g_print (_("Credits: %s\n"), names);
    }
  return BALISE_CLI_EXIT_OK;
}

int
balise_cli_review (BaliseCli  *cli,
                   int         argc,
                   char      **argv,
                   GError    **error)
{
  g_autofree char *reason = NULL;
  g_autofree char *reviewer = NULL;
  g_autofree char *by = NULL;
  g_autofree char *search = NULL;
  g_autoptr(GPtrArray) edits = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_autoptr(GStrvBuilder) note_builder = NULL;
  g_auto(GStrv) uuids = NULL;
  g_auto(GStrv) note_uuids = NULL;
  gboolean all = FALSE;
  BaliseReviewDecision decision;
  const char *action;
  GOptionEntry entries[] = {
    { "reason", 'r', 0, G_OPTION_ARG_STRING, &reason,
      N_("Why (required to reject or send back)"), N_("TEXT") },
    { "reviewer", 0, 0, G_OPTION_ARG_STRING, &reviewer,
      N_("Who reviews (default: your user name)"), N_("NAME") },
    { "by", 0, 0, G_OPTION_ARG_STRING, &by,
      N_("list: group by contributor, day, category or area"), N_("GROUPING") },
    { "search", 's', 0, G_OPTION_ARG_STRING, &search,
      N_("list: only edits whose name, ref, contributor or category contains TEXT"), N_("TEXT") },
    { "all", 'a', 0, G_OPTION_ARG_NONE, &all,
      N_("list: approved, rejected and failed edits too"), NULL },
    { NULL }
  };

  if (!balise_cli_parse_options ("review", "list|approve|reject|issues [ID…]",
                                 _("Review the edits and notes before upload: list them, approve, "
                                   "reject, or send them back to the volunteer with the issues."),
                                 entries, &argc, &argv, error))
    return BALISE_CLI_EXIT_USAGE;

  if (argc < 2)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           "expected list, approve, reject or issues");
      return BALISE_CLI_EXIT_USAGE;
    }

  action = argv[1];
  if (g_str_equal (action, "list"))
    return review_list (cli, by, search, all, error);
  else if (g_str_equal (action, "approve"))
    decision = BALISE_REVIEW_APPROVE;
  else if (g_str_equal (action, "reject"))
    decision = BALISE_REVIEW_REJECT;
  else if (g_str_equal (action, "issues"))
    decision = BALISE_REVIEW_HAS_ISSUES;
  else
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "unknown action “%s”: expected list, approve, reject or issues", action);
      return BALISE_CLI_EXIT_USAGE;
    }

  if (argc < 3)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   "%s which edits? Give their ids", action);
      return BALISE_CLI_EXIT_USAGE;
    }
  if (decision != BALISE_REVIEW_APPROVE && (reason == NULL || *g_strstrip (reason) == '\0'))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   "%s needs --reason TEXT: the volunteer will read it", action);
      return BALISE_CLI_EXIT_USAGE;
    }
  if (reviewer == NULL)
    reviewer = g_strdup (g_get_user_name ());

  edits = balise_store_list_edits (cli->store, 0, error);
  if (edits == NULL || !(notes = balise_store_list_notes (cli->store, 0, error)))
    return BALISE_CLI_EXIT_ERROR;
  builder = g_strv_builder_new ();
  note_builder = g_strv_builder_new ();
  for (int i = 2; i < argc; i++)
    {
      gboolean is_note = FALSE;
      g_autofree char *uuid = resolve_id (edits, notes, argv[i], &is_note, error);

      if (uuid == NULL)
        return BALISE_CLI_EXIT_ERROR;
      g_strv_builder_add (is_note ? note_builder : builder, uuid);
    }
  uuids = g_strv_builder_end (builder);
  note_uuids = g_strv_builder_end (note_builder);

  /* The edits in one transaction, then the notes in another. */
  if ((uuids[0] != NULL &&
       !balise_store_review_edits (cli->store, (const char * const *) uuids, decision, reviewer,
                                   reason, error)) ||
      (note_uuids[0] != NULL &&
       !balise_store_review_notes (cli->store, (const char * const *) note_uuids, decision,
                                   reviewer, reason, error)))
    return BALISE_CLI_EXIT_ERROR;

  for (guint i = 0; uuids[i] != NULL; i++)
    g_print ("%.8s  %s\n", uuids[i], decision_statuses[decision]);
  for (guint i = 0; note_uuids[i] != NULL; i++)
    g_print ("%.8s  %s\n", note_uuids[i], decision_statuses[decision]);
  return BALISE_CLI_EXIT_OK;
}
