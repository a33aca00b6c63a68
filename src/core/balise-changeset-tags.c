/* balise-changeset-tags.c: comment, hashtags and credits of a changeset
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-changeset-tags"

#include "config.h"

#include <string.h>

#include "balise-changeset-summary.h"
#include "balise-changeset-tags.h"

static gboolean
is_hashtag_char (gunichar c)
{
  return g_unichar_isalnum (c) || g_unichar_ismark (c) || c == '-' || c == '_';
}

/* The length in bytes of the hashtag word starting at @p (after its '#'). */
static gsize
hashtag_word_length (const char *p)
{
  const char *end = p;

  while (*end != '\0' && is_hashtag_char (g_utf8_get_char (end)))
    end = g_utf8_next_char (end);

  return (gsize) (end - p);
}

/* Adds "#word" to @tags unless it holds it already, in any case. */
static void
add_unique (GPtrArray  *tags,
            GHashTable *seen,
            const char *word,
            gsize       length)
{
  g_autofree char *tag = g_strdup_printf ("#%.*s", (int) length, word);
  char *folded = g_utf8_casefold (tag, -1);

  if (g_hash_table_add (seen, folded))
    g_ptr_array_add (tags, g_steal_pointer (&tag));
}

/* The hashtags written in @text, in order, each once. */
static GPtrArray *
find_hashtags (const char *text)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GPtrArray *tags = g_ptr_array_new_with_free_func (g_free);
  gunichar previous = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (*p == '#' && !is_hashtag_char (previous))
        {
          gsize length = hashtag_word_length (p + 1);

          if (length > 0)
            add_unique (tags, seen, p + 1, length);
        }
      previous = g_utf8_get_char (p);
    }

  return tags;
}

GStrv
balise_hashtags_parse (const char  *text,
                       GError     **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) tags = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) words = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_INVALID,
                           "The hashtags are not valid UTF-8");
      return NULL;
    }

  words = g_regex_split_simple ("[\\s,;]+", text, 0, 0);
  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *word = words[i];
      gsize length;

      if (*word == '\0')
        continue;
      if (*word == '#')
        word++;

      length = hashtag_word_length (word);
      if (length == 0 || word[length] != '\0')
        {
          g_set_error (error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_INVALID,
                       "“%s” is not a hashtag: use letters, digits, “-” and “_” after the “#”",
                       words[i]);
          return NULL;
        }
      add_unique (tags, seen, word, length);
    }

  g_ptr_array_add (tags, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&tags), FALSE);
}

char *
balise_changeset_comment_add_hashtags (const char         *comment,
                                       const char * const *hashtags)
{
  g_autoptr(GPtrArray) present = NULL;
  g_autoptr(GHashTable) held = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GString *out;

  g_return_val_if_fail (comment != NULL, NULL);

  out = g_string_new (comment);
  while (out->len > 0 && g_ascii_isspace (out->str[out->len - 1]))
    g_string_truncate (out, out->len - 1);

  present = find_hashtags (comment);
  for (guint i = 0; i < present->len; i++)
    g_hash_table_add (held, g_utf8_casefold (g_ptr_array_index (present, i), -1));

  for (guint i = 0; hashtags != NULL && hashtags[i] != NULL; i++)
    {
      g_autofree char *tag = hashtags[i][0] == '#' ? g_strdup (hashtags[i])
                                                   : g_strconcat ("#", hashtags[i], NULL);

      if (!g_hash_table_add (held, g_utf8_casefold (tag, -1)))
        continue;
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, tag);
    }

  return g_string_free (out, FALSE);
}

char *
balise_changeset_hashtags_value (const char *comment)
{
  g_autoptr(GPtrArray) tags = NULL;

  g_return_val_if_fail (comment != NULL, NULL);

  tags = find_hashtags (comment);
  if (tags->len == 0)
    return NULL;

  g_ptr_array_add (tags, NULL);
  return g_strjoinv (";", (char **) tags->pdata);
}

char *
balise_changeset_credits_value (const char * const *names)
{
  GString *out = g_string_new (NULL);
  guint n_names = names != NULL ? g_strv_length ((char **) names) : 0;

  for (guint i = 0; i < n_names; i++)
    {
      g_auto(GStrv) parts = g_strsplit (names[i], ";", -1);
      g_autofree char *escaped = g_strjoinv (";;", parts);
      guint left_after = n_names - i - 1;
      g_autofree char *more = left_after > 0 ? g_strdup_printf (";+%u", left_after) : g_strdup ("");
      glong length = g_utf8_strlen (out->str, -1) + (out->len > 0 ? 1 : 0) +
                     g_utf8_strlen (escaped, -1) + (glong) strlen (more);

      /* This name, and room for "+N" should later ones not fit. */
      if (length > BALISE_CHANGESET_COMMENT_MAX)
        {
          g_string_append_printf (out, "%s+%u", out->len > 0 ? ";" : "", n_names - i);
          break;
        }

      if (out->len > 0)
        g_string_append_c (out, ';');
      g_string_append (out, escaped);
    }

  if (out->len == 0)
    {
      g_string_free (out, TRUE);
      return NULL;
    }

  return g_string_free (out, FALSE);
}

gboolean
balise_changeset_comment_validate (const char  *comment,
                                   GError     **error)
{
  glong n_chars;

  g_return_val_if_fail (comment != NULL, FALSE);

  if (!g_utf8_validate (comment, -1, NULL))
    {
      g_set_error_literal (error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_INVALID,
                           "The changeset comment is not valid UTF-8");
      return FALSE;
    }

  n_chars = g_utf8_strlen (comment, -1);
  for (const char *p = comment; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c))
        {
          g_set_error (error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_INVALID,
                       "The changeset comment contains a control character (U+%04X)", c);
          return FALSE;
        }
    }

  {
    g_autofree char *stripped = g_strstrip (g_strdup (comment));

    if (*stripped == '\0')
      {
        g_set_error_literal (error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_INVALID,
                             "The changeset comment is empty: say what the changes do");
        return FALSE;
      }
  }

  if (n_chars > BALISE_CHANGESET_COMMENT_MAX)
    {
      g_set_error (error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_INVALID,
                   "The changeset comment has %ld characters; OpenStreetMap takes at most %d",
                   n_chars, BALISE_CHANGESET_COMMENT_MAX);
      return FALSE;
    }

  return TRUE;
}

BaliseTags *
balise_changeset_tags_new (const char         *comment,
                           const char * const *credits,
                           const char         *batch_uuid)
{
  BaliseTags *tags = balise_tags_new ();
  g_autofree char *hashtags = NULL;
  g_autofree char *names = NULL;

  g_return_val_if_fail (comment != NULL, NULL);

  balise_tags_set (tags, "created_by", "Balise " PACKAGE_VERSION);
  balise_tags_set (tags, "comment", comment);
  balise_tags_set (tags, "source", "survey");
  if ((hashtags = balise_changeset_hashtags_value (comment)) != NULL)
    balise_tags_set (tags, "hashtags", hashtags);
  if ((names = balise_changeset_credits_value (credits)) != NULL)
    balise_tags_set (tags, BALISE_CHANGESET_CREDITS_KEY, names);
  /* Lets recovery find this changeset on the server by the batch it carries. */
  if (batch_uuid != NULL)
    balise_tags_set (tags, "balise:batch", batch_uuid);

  return tags;
}
