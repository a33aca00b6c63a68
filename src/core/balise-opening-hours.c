/* balise-opening-hours.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-opening-hours"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "balise-opening-hours.h"

/* The common part of the opening_hours grammar of the OSM wiki, as
 * volunteers meet it on doors and signs:
 *
 *   value      = rule { ( ";" | "," | "||" ) rule }
 *   rule       = "24/7" [ modifier ]
 *              | [ months [ ":" ] ] [ weekdays ] [ times ] [ modifier ]   (not all empty)
 *   months     = month_range { "," month_range }
 *   month_range= Month [ day ] [ "-" ( Month [ day ] | day ) ]
 *   weekdays   = day_range { "," day_range }
 *   day_range  = Wd [ "-" Wd ] [ "[" n { "," n } "]" ] | "PH" | "SH"
 *   times      = timespan { "," timespan }
 *   timespan   = time [ "-" time ] [ "+" ] | time "+"
 *   time       = hh ":" mm | "sunrise" | "sunset" | "dawn" | "dusk"
 *   modifier   = "open" | "closed" | "off" | "unknown" | '"' comment '"'
 *
 * Hours go from 00 to 24 (to 48 for the end of a span past midnight). */

G_DEFINE_QUARK (balise-opening-hours-error-quark, balise_opening_hours_error)

typedef struct
{
  const char  *start;
  const char  *p;
  GError     **error;
} Parser;

static const char *weekdays[] = { "Mo", "Tu", "We", "Th", "Fr", "Sa", "Su" };
static const char *months[] = {
  "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};
static const char *variable_times[] = { "sunrise", "sunset", "dawn", "dusk" };
static const char *modifiers[] = { "open", "closed", "off", "unknown" };

static glong
position (Parser *parser)
{
  return g_utf8_pointer_to_offset (parser->start, parser->p) + 1;
}

/* The word at the cursor, for messages. */
static char *
word_here (Parser *parser)
{
  const char *end = parser->p;

  if (*end == '\0')
    return g_strdup (_("the end"));

  while (g_ascii_isalnum (*end) || *end == ':')
    end++;
  if (end == parser->p)
    end = g_utf8_next_char (parser->p);

  return g_strdup_printf ("“%.*s”", (int) (end - parser->p), parser->p);
}

static gboolean
fail (Parser     *parser,
      const char *expected)
{
  g_autofree char *found = word_here (parser);

  g_set_error (parser->error, BALISE_OPENING_HOURS_ERROR, BALISE_OPENING_HOURS_ERROR_SYNTAX,
               /* Translators: “%s” is what was found, %ld a position in the text, then what is
                * expected there, e.g. “a time like 08:00” */
               _("%s at character %ld: expected %s"),
               found, position (parser), expected);
  return FALSE;
}

static void
skip_spaces (Parser *parser)
{
  while (*parser->p == ' ')
    parser->p++;
}

static gboolean
accept (Parser     *parser,
        const char *token)
{
  gsize len = strlen (token);

  if (strncmp (parser->p, token, len) != 0)
    return FALSE;

  /* A word must end there: "Mo" is not the start of "Mon". */
  if (g_ascii_isalpha (token[len - 1]) && g_ascii_isalpha (parser->p[len]))
    return FALSE;

  parser->p += len;
  return TRUE;
}

static int
accept_one_of (Parser      *parser,
               const char **tokens,
               guint        n_tokens)
{
  for (guint i = 0; i < n_tokens; i++)
    {
      if (accept (parser, tokens[i]))
        return (int) i;
    }

  return -1;
}

static gboolean
at_one_of (Parser      *parser,
           const char **tokens,
           guint        n_tokens)
{
  const char *saved = parser->p;
  int found = accept_one_of (parser, tokens, n_tokens);

  parser->p = saved;
  return found >= 0;
}

static gboolean
at_weekday (Parser *parser)
{
  const char *holidays[] = { "PH", "SH" };

  return at_one_of (parser, weekdays, G_N_ELEMENTS (weekdays)) ||
         at_one_of (parser, holidays, G_N_ELEMENTS (holidays));
}

static gboolean
at_time (Parser *parser)
{
  return g_ascii_isdigit (parser->p[0]) ||
         at_one_of (parser, variable_times, G_N_ELEMENTS (variable_times));
}

static gboolean
read_number (Parser *parser,
             guint   max_digits,
             guint  *value)
{
  guint digits = 0;

  *value = 0;
  while (digits < max_digits && g_ascii_isdigit (*parser->p))
    {
      *value = *value * 10 + (guint) (*parser->p - '0');
      parser->p++;
      digits++;
    }

  return digits > 0;
}

/* @max_hour is 24 for a start, 48 for the end of a span. */
static gboolean
parse_time (Parser *parser,
            guint   max_hour)
{
  const char *start = parser->p;
  guint hours;
  guint minutes;

  if (accept_one_of (parser, variable_times, G_N_ELEMENTS (variable_times)) >= 0)
    return TRUE;

  if (!g_ascii_isdigit (parser->p[0]) || !g_ascii_isdigit (parser->p[1]))
    return fail (parser, _("a time like 08:00"));

  read_number (parser, 2, &hours);

  if (*parser->p != ':')
    return fail (parser, _("“:” between hours and minutes, as in 08:00"));
  parser->p++;

  if (!g_ascii_isdigit (parser->p[0]) || !g_ascii_isdigit (parser->p[1]))
    return fail (parser, _("two digits of minutes, as in 08:30"));

  read_number (parser, 2, &minutes);

  if (minutes > 59 || hours > max_hour || (hours == max_hour && minutes > 0))
    {
      parser->p = start;
      return fail (parser, max_hour == 24 ? _("a time from 00:00 to 24:00")
                                          : _("an end time from 00:00 to 48:00"));
    }

  return TRUE;
}

static gboolean
parse_times (Parser *parser)
{
  for (;;)
    {
      if (!parse_time (parser, 24))
        return FALSE;

      if (*parser->p == '-')
        {
          parser->p++;
          if (!parse_time (parser, 48))
            return FALSE;
        }

      if (*parser->p == '+')
        parser->p++;

      /* "08:00-12:00,14:00-18:00": a comma before another time continues
       * the list; before anything else it starts another rule. */
      if (*parser->p == ',')
        {
          const char *saved = parser->p;

          parser->p++;
          skip_spaces (parser);
          if (at_time (parser))
            continue;
          parser->p = saved;
        }

      return TRUE;
    }
}

static gboolean
parse_nth (Parser *parser)
{
  guint n;

  /* Mo[1], Su[-1], Sa[1,3] */
  parser->p++;
  do
    {
      if (*parser->p == '-')
        parser->p++;
      if (!read_number (parser, 1, &n) || n < 1 || n > 5)
        return fail (parser, _("a week of the month from 1 to 5, as in Mo[1]"));
      if (*parser->p == '-' && g_ascii_isdigit (parser->p[1]))
        {
          parser->p++;
          if (!read_number (parser, 1, &n) || n < 1 || n > 5)
            return fail (parser, _("a week of the month from 1 to 5, as in Mo[1]"));
        }
    }
  while (*parser->p == ',' && parser->p++);

  if (*parser->p != ']')
    return fail (parser, _("“]”"));
  parser->p++;

  return TRUE;
}

static gboolean
parse_weekdays (Parser *parser)
{
  const char *holidays[] = { "PH", "SH" };

  for (;;)
    {
      if (accept_one_of (parser, holidays, G_N_ELEMENTS (holidays)) < 0)
        {
          if (accept_one_of (parser, weekdays, G_N_ELEMENTS (weekdays)) < 0)
            return fail (parser, _("a day: Mo, Tu, We, Th, Fr, Sa, Su, or PH for public holidays"));

          if (*parser->p == '-')
            {
              parser->p++;
              if (accept_one_of (parser, weekdays, G_N_ELEMENTS (weekdays)) < 0)
                return fail (parser, _("a day: Mo, Tu, We, Th, Fr, Sa, Su"));
            }
          else if (*parser->p == '[' && !parse_nth (parser))
            {
              return FALSE;
            }
        }

      if (*parser->p == ',')
        {
          const char *saved = parser->p;

          parser->p++;
          skip_spaces (parser);
          if (at_weekday (parser))
            continue;
          parser->p = saved;
        }

      return TRUE;
    }
}

static gboolean
parse_month_day (Parser *parser)
{
  guint day;

  if (g_ascii_isdigit (*parser->p))
    {
      if (!read_number (parser, 2, &day) || day < 1 || day > 31)
        return fail (parser, _("a day of the month from 1 to 31"));
    }

  return TRUE;
}

static gboolean
parse_months (Parser *parser)
{
  for (;;)
    {
      if (accept_one_of (parser, months, G_N_ELEMENTS (months)) < 0)
        return fail (parser, _("a month: Jan, Feb, Mar, Apr, May, Jun, Jul, Aug, Sep, Oct, Nov, Dec"));

      skip_spaces (parser);
      if (!parse_month_day (parser))
        return FALSE;

      if (*parser->p == '-')
        {
          parser->p++;
          if (g_ascii_isdigit (*parser->p))
            {
              if (!parse_month_day (parser))
                return FALSE;
            }
          else
            {
              if (accept_one_of (parser, months, G_N_ELEMENTS (months)) < 0)
                return fail (parser, _("a month: Jan, Feb, Mar, Apr, May, Jun, Jul, Aug, Sep, Oct, Nov, Dec"));
              skip_spaces (parser);
              if (!parse_month_day (parser))
                return FALSE;
            }
        }

      if (*parser->p == ',')
        {
          const char *saved = parser->p;

          parser->p++;
          skip_spaces (parser);
          if (at_one_of (parser, months, G_N_ELEMENTS (months)))
            continue;
          parser->p = saved;
        }

      return TRUE;
    }
}

static gboolean
parse_modifier (Parser   *parser,
                gboolean *found)
{
  *found = FALSE;

  if (accept_one_of (parser, modifiers, G_N_ELEMENTS (modifiers)) >= 0)
    {
      *found = TRUE;
    }
  else if (*parser->p == '"')
    {
      const char *end = strchr (parser->p + 1, '"');

      if (end == NULL)
        return fail (parser, _("a closing quote after the comment"));

      parser->p = end + 1;
      *found = TRUE;
    }

  return TRUE;
}

static gboolean
parse_rule (Parser *parser)
{
  gboolean found_any = FALSE;
  gboolean found_modifier;

  skip_spaces (parser);

  if (accept (parser, "24/7"))
    {
      skip_spaces (parser);
      return parse_modifier (parser, &found_modifier);
    }

  if (at_one_of (parser, months, G_N_ELEMENTS (months)))
    {
      if (!parse_months (parser))
        return FALSE;
      if (*parser->p == ':')
        parser->p++;
      skip_spaces (parser);
      found_any = TRUE;
    }

  if (at_weekday (parser))
    {
      if (!parse_weekdays (parser))
        return FALSE;
      skip_spaces (parser);
      found_any = TRUE;
    }

  if (at_time (parser))
    {
      if (!parse_times (parser))
        return FALSE;
      skip_spaces (parser);
      found_any = TRUE;
    }

  if (!parse_modifier (parser, &found_modifier))
    return FALSE;

  if (!found_any && !found_modifier)
    return fail (parser, _("days, times, 24/7 or off, as in Mo-Fr 08:00-18:00"));

  skip_spaces (parser);
  return TRUE;
}

/**
 * balise_opening_hours_validate:
 * @value: an opening_hours value, such as "Mo-Fr 08:00-18:00; Sa 09:00-12:00"
 * @error: where to put what is wrong and where
 *
 * Checks @value against the common grammar of OSM's opening_hours (and
 * collection_times, service_times): rules separated by ";", "," or "||";
 * month and day ranges, PH and SH; times, spans past midnight and open
 * ends; "24/7"; "off", "closed", "open" and comments in quotes.
 *
 * Returns: %TRUE if the syntax is right
 */
gboolean
balise_opening_hours_validate (const char  *value,
                               GError     **error)
{
  Parser parser = { value, value, error };

  g_return_val_if_fail (value != NULL, FALSE);

  if (!g_utf8_validate (value, -1, NULL))
    {
      g_set_error_literal (error, BALISE_OPENING_HOURS_ERROR, BALISE_OPENING_HOURS_ERROR_SYNTAX,
                           _("Not valid text"));
      return FALSE;
    }

  for (;;)
    {
      if (!parse_rule (&parser))
        return FALSE;

      if (*parser.p == '\0')
        return TRUE;

      if (accept (&parser, "||") || *parser.p == ';' || *parser.p == ',')
        {
          if (*parser.p == ';' || *parser.p == ',')
            parser.p++;
          skip_spaces (&parser);
          if (*parser.p == '\0')
            return fail (&parser, _("another rule after the separator"));
          continue;
        }

      return fail (&parser, _("“;” between rules"));
    }
}
