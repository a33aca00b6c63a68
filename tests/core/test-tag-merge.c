/* test-tag-merge.c: the three-way merge of tags and positions
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#undef G_DISABLE_ASSERT

#include <math.h>

#include "balise-core.h"
#include "balise-tag-merge.h"

/* "k=v;k2=v2" → tags; NULL → NULL. */
static BaliseTags *
tags (const char *text)
{
  g_auto(GStrv) pairs = NULL;
  BaliseTags *result;

  if (text == NULL)
    return NULL;

  result = balise_tags_new ();
  pairs = g_strsplit (text, ";", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      g_auto(GStrv) kv = NULL;

      if (*pairs[i] == '\0')
        continue;
      kv = g_strsplit (pairs[i], "=", 2);
      g_assert_nonnull (kv[1]);
      balise_tags_set (result, kv[0], kv[1]);
    }
  return result;
}

static void
assert_tags (const BaliseTags *actual,
             const char       *expected_text)
{
  g_autoptr(BaliseTags) expected = tags (expected_text);

  if (!balise_tags_equal (actual, expected))
    {
      g_autofree char *a = balise_tags_to_json (actual);
      g_autofree char *e = balise_tags_to_json (expected);

      g_error ("tags %s, expected %s", a, e);
    }
}

typedef struct
{
  const char *name;
  const char *base;
  const char *ours;
  const char *theirs;
  const char *merged;
  const char *conflict_keys;   /* "k1,k2" sorted, "" for a clean merge */
} MergeCase;

static const MergeCase merge_cases[] = {
  { "nothing changed", "highway=bus_stop;name=Casino", "highway=bus_stop;name=Casino",
    "highway=bus_stop;name=Casino", "highway=bus_stop;name=Casino", "" },
  { "only ours changed", "highway=bus_stop", "highway=bus_stop;shelter=yes",
    "highway=bus_stop", "highway=bus_stop;shelter=yes", "" },
  { "only theirs changed", "highway=bus_stop", "highway=bus_stop",
    "highway=bus_stop;bench=yes", "highway=bus_stop;bench=yes", "" },
  { "disjoint additions", "highway=bus_stop", "highway=bus_stop;shelter=yes",
    "highway=bus_stop;bench=yes", "bench=yes;highway=bus_stop;shelter=yes", "" },
  { "disjoint modifications", "highway=bus_stop;name=Casino;shelter=no",
    "highway=bus_stop;name=Casino;shelter=yes", "highway=bus_stop;name=Casino & Opéra;shelter=no",
    "highway=bus_stop;name=Casino & Opéra;shelter=yes", "" },
  { "ours removes, theirs adds", "highway=bus_stop;fixme=check",
    "highway=bus_stop", "highway=bus_stop;fixme=check;bin=yes", "bin=yes;highway=bus_stop", "" },
  { "theirs removes a key ours kept", "highway=bus_stop;fixme=check;name=A",
    "highway=bus_stop;fixme=check;name=B", "highway=bus_stop;name=A", "highway=bus_stop;name=B", "" },
  { "same change on both sides", "highway=bus_stop", "highway=bus_stop;shelter=yes",
    "highway=bus_stop;shelter=yes", "highway=bus_stop;shelter=yes", "" },
  { "both removed the same key", "highway=bus_stop;fixme=x", "highway=bus_stop",
    "highway=bus_stop", "highway=bus_stop", "" },
  { "same key, two values", "highway=bus_stop;name=Casino", "highway=bus_stop;name=Casino Opéra",
    "highway=bus_stop;name=Place du Casino", "highway=bus_stop;name=Place du Casino", "name" },
  { "ours removed what theirs changed", "highway=bus_stop;shelter=no", "highway=bus_stop",
    "highway=bus_stop;shelter=yes", "highway=bus_stop;shelter=yes", "shelter" },
  { "ours changed what theirs removed", "highway=bus_stop;shelter=no",
    "highway=bus_stop;shelter=yes", "highway=bus_stop", "highway=bus_stop", "shelter" },
  { "both added the key, differently", "highway=bus_stop", "highway=bus_stop;bench=yes",
    "highway=bus_stop;bench=no", "highway=bus_stop;bench=no", "bench" },
  { "conflicts and merges together", "highway=bus_stop;name=A;ref=1;shelter=no",
    "highway=bus_stop;name=B;ref=2;shelter=yes;bin=yes", "highway=bus_stop;name=C;ref=3;shelter=no;lit=yes",
    "bin=yes;highway=bus_stop;lit=yes;name=C;ref=3;shelter=yes", "name,ref" },
  { "no common base: differences conflict", NULL, "highway=bus_stop;name=A",
    "highway=bus_stop;name=B;bench=yes", "bench=yes;highway=bus_stop;name=B", "bench,name" },
  { "empty tag sets", "", "", "", "", "" },
  { "values with = and ;-free unicode", "name=Rue de l'Église",
    "name=Rue de l'Église;note=a=b", "name=Rue de l’Église", "name=Rue de l’Église;note=a=b", "" },
};

static char *
conflict_keys (GPtrArray *conflicts)
{
  g_autoptr(GString) keys = g_string_new (NULL);

  for (guint i = 0; i < conflicts->len; i++)
    {
      BaliseTagConflict *conflict = g_ptr_array_index (conflicts, i);

      if (i > 0)
        g_string_append_c (keys, ',');
      g_string_append (keys, conflict->key);
    }
  return g_string_free (g_steal_pointer (&keys), FALSE);
}

static void
test_merge_cases (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (merge_cases); i++)
    {
      const MergeCase *c = &merge_cases[i];
      g_autoptr(BaliseTags) base = tags (c->base);
      g_autoptr(BaliseTags) ours = tags (c->ours);
      g_autoptr(BaliseTags) theirs = tags (c->theirs);
      g_autoptr(BaliseTags) merged = NULL;
      g_autoptr(GPtrArray) conflicts = NULL;
      g_autofree char *keys = NULL;
      gboolean clean;

      g_test_message ("case: %s", c->name);
      clean = balise_tags_merge3 (base, ours, theirs, &merged, &conflicts);
      keys = conflict_keys (conflicts);
      g_assert_cmpstr (keys, ==, c->conflict_keys);
      g_assert_cmpint (clean, ==, *c->conflict_keys == '\0');
      assert_tags (merged, c->merged);
    }
}

static void
test_merge_conflict_values (void)
{
  g_autoptr(BaliseTags) base = tags ("highway=bus_stop;shelter=no;name=A");
  g_autoptr(BaliseTags) ours = tags ("highway=bus_stop;name=B");
  g_autoptr(BaliseTags) theirs = tags ("highway=bus_stop;shelter=yes;name=C;bench=yes");
  g_autoptr(GPtrArray) conflicts = NULL;
  BaliseTagConflict *name, *shelter;

  g_assert_false (balise_tags_merge3 (base, ours, theirs, NULL, &conflicts));
  g_assert_cmpuint (conflicts->len, ==, 2);
  name = g_ptr_array_index (conflicts, 0);
  shelter = g_ptr_array_index (conflicts, 1);
  g_assert_cmpstr (name->key, ==, "name");
  g_assert_cmpstr (name->base, ==, "A");
  g_assert_cmpstr (name->ours, ==, "B");
  g_assert_cmpstr (name->theirs, ==, "C");
  g_assert_cmpstr (shelter->key, ==, "shelter");
  g_assert_cmpstr (shelter->base, ==, "no");
  g_assert_null (shelter->ours);
  g_assert_cmpstr (shelter->theirs, ==, "yes");
}

static void
test_merge_decide (void)
{
  g_autoptr(BaliseTags) base = tags ("highway=bus_stop;shelter=no;name=A;ref=1");
  g_autoptr(BaliseTags) ours = tags ("highway=bus_stop;name=B;ref=2;bin=yes");
  g_autoptr(BaliseTags) theirs = tags ("highway=bus_stop;shelter=yes;name=C;ref=1;lit=yes");
  const char * const mine_name[] = { "name", NULL };
  const char * const mine_all[] = { "name", "shelter", "highway", NULL };
  g_autoptr(BaliseTags) none = balise_tags_merge3_decide (base, ours, theirs, NULL);
  g_autoptr(BaliseTags) name = balise_tags_merge3_decide (base, ours, theirs, mine_name);
  g_autoptr(BaliseTags) all = balise_tags_merge3_decide (base, ours, theirs, mine_all);

  /* ref and bin are ours alone, lit theirs alone: merged whatever is decided. */
  assert_tags (none, "bin=yes;highway=bus_stop;lit=yes;name=C;ref=2;shelter=yes");
  assert_tags (name, "bin=yes;highway=bus_stop;lit=yes;name=B;ref=2;shelter=yes");
  /* Keeping mine for shelter means removing it, as ours did. */
  assert_tags (all, "bin=yes;highway=bus_stop;lit=yes;name=B;ref=2");
}

/* Properties over random tag sets: the merge never invents a value, takes
 * one side whole when the other did nothing, and treats both sides alike. */
static void
test_merge_random (void)
{
  static const char * const keys[] = { "a", "b", "c", "d", "e", "f" };
  static const char * const values[] = { "1", "2", "3" };
  GRand *rand = g_rand_new_with_seed (20260501);

  for (guint round = 0; round < 5000; round++)
    {
      g_autoptr(BaliseTags) base = balise_tags_new ();
      g_autoptr(BaliseTags) ours = NULL;
      g_autoptr(BaliseTags) theirs = NULL;
      g_autoptr(BaliseTags) merged = NULL;
      g_autoptr(BaliseTags) swapped = NULL;
      g_autoptr(GPtrArray) conflicts = NULL;
      g_autoptr(GPtrArray) swapped_conflicts = NULL;
      g_autofree char *keys_a = NULL;
      g_autofree char *keys_b = NULL;

      for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
        if (g_rand_boolean (rand))
          balise_tags_set (base, keys[k], values[g_rand_int_range (rand, 0, 3)]);
      ours = balise_tags_copy (base);
      theirs = balise_tags_copy (base);
      for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
        {
          BaliseTags *side = g_rand_boolean (rand) ? ours : theirs;

          switch (g_rand_int_range (rand, 0, 4))
            {
            case 0: balise_tags_remove (side, keys[k]); break;
            case 1: balise_tags_set (side, keys[k], values[g_rand_int_range (rand, 0, 3)]); break;
            default: break;
            }
        }

      balise_tags_merge3 (base, ours, theirs, &merged, &conflicts);
      balise_tags_merge3 (base, theirs, ours, &swapped, &swapped_conflicts);

      keys_a = conflict_keys (conflicts);
      keys_b = conflict_keys (swapped_conflicts);
      g_assert_cmpstr (keys_a, ==, keys_b);

      for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
        {
          const char *m = balise_tags_lookup (merged, keys[k]);
          const char *o = balise_tags_lookup (ours, keys[k]);
          const char *t = balise_tags_lookup (theirs, keys[k]);
          gboolean conflicting = strstr (keys_a, keys[k]) != NULL;

          g_assert_true (g_strcmp0 (m, o) == 0 || g_strcmp0 (m, t) == 0);
          if (!conflicting)
            g_assert_cmpstr (m, ==, balise_tags_lookup (swapped, keys[k]));
          else
            {
              g_assert_cmpstr (m, ==, t);
              g_assert_cmpstr (o, !=, t);
            }
        }

      if (balise_tags_equal (ours, base))
        {
          g_assert_cmpuint (conflicts->len, ==, 0);
          g_assert_true (balise_tags_equal (merged, theirs));
        }
      if (balise_tags_equal (theirs, base))
        {
          g_assert_cmpuint (conflicts->len, ==, 0);
          g_assert_true (balise_tags_equal (merged, ours));
        }
    }

  g_rand_free (rand);
}

static void
test_merge_position (void)
{
  double lat, lon;

  /* Nobody moved it. */
  g_assert_true (balise_position_merge3 (43.7, 7.4, 43.7, 7.4, 43.7, 7.4, &lat, &lon));
  g_assert_cmpfloat (lat, ==, 43.7);
  /* Ours moved it. */
  g_assert_true (balise_position_merge3 (43.7, 7.4, 43.71, 7.41, 43.7, 7.4, &lat, &lon));
  g_assert_cmpfloat (lat, ==, 43.71);
  g_assert_cmpfloat (lon, ==, 7.41);
  /* Theirs moved it. */
  g_assert_true (balise_position_merge3 (43.7, 7.4, 43.7, 7.4, 43.72, 7.42, &lat, &lon));
  g_assert_cmpfloat (lat, ==, 43.72);
  /* Both, to the same place (within what OSM stores). */
  g_assert_true (balise_position_merge3 (43.7, 7.4, 43.73, 7.43, 43.73000004, 7.43, &lat, &lon));
  /* Both, to different places. */
  g_assert_false (balise_position_merge3 (43.7, 7.4, 43.73, 7.43, 43.74, 7.44, &lat, &lon));
  g_assert_cmpfloat (lat, ==, 43.74);
  /* Unknown base: only agreement merges. */
  g_assert_true (balise_position_merge3 (NAN, NAN, 43.7, 7.4, 43.7, 7.4, &lat, &lon));
  g_assert_false (balise_position_merge3 (NAN, NAN, 43.7, 7.4, 43.71, 7.4, &lat, &lon));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tag-merge/cases", test_merge_cases);
  g_test_add_func ("/tag-merge/conflict-values", test_merge_conflict_values);
  g_test_add_func ("/tag-merge/decide", test_merge_decide);
  g_test_add_func ("/tag-merge/random", test_merge_random);
  g_test_add_func ("/tag-merge/position", test_merge_position);

  return g_test_run ();
}
