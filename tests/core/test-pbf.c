/* test-pbf.c: Balise's own PBF reader against libreadosm, and on damaged data
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#undef G_DISABLE_ASSERT

#include <sqlite3.h>
#include <string.h>
#include <zlib.h>

#include "balise-core.h"
#include "balise-pbf.h"
#include "balise-store-private.h"
#include "balise-test-utils.h"
#include "test-store.h"

static char *
monaco_path (void)
{
  return g_test_build_filename (G_TEST_DIST, "..", "data", "demo", "monaco-2016.osm.pbf", NULL);
}

/*
 * Every row of an import, as text: the same file read by balise-pbf.c and by
 * libreadosm gives the same store, byte for byte.
 */

static gboolean
digest_func (BaliseStore   *store,
             sqlite3       *db,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GChecksum *checksum = data;
  int rc;

  if (!_balise_store_prepare (db,
                              "SELECT osm_type, osm_id, version, changeset, timestamp, user, tags, "
                              "hex (geom), hex (shape), hex (way_nodes), category, name, ref "
                              "FROM element ORDER BY id",
                              &stmt, error))
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    for (int i = 0; i < sqlite3_column_count (stmt); i++)
      {
        const char *text = (const char *) sqlite3_column_text (stmt, i);

        g_checksum_update (checksum, (const guchar *) (text != NULL ? text : "\x01NULL"), -1);
        g_checksum_update (checksum, (const guchar *) "\x02", 1);
      }
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  return TRUE;
}

static char *
import_digest (const char        *name,
               const char        *extract,
               gboolean           with_readosm,
               BaliseImportStats *stats)
{
  g_autoptr(BaliseStore) store = test_store_open (name);
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GError) error = NULL;

  if (with_readosm)
    g_setenv ("BALISE_IMPORT_READOSM", "1", TRUE);
  else
    g_unsetenv ("BALISE_IMPORT_READOSM");
  g_assert_true (balise_store_import_file (store, extract, NULL, NULL, NULL, stats, &error));
  g_assert_no_error (error);
  g_unsetenv ("BALISE_IMPORT_READOSM");

  g_assert_true (_balise_store_write (store, digest_func, checksum, NULL, &error));
  g_assert_no_error (error);
  return g_strdup (g_checksum_get_string (checksum));
}

static void
test_pbf_same_as_readosm (void)
{
  g_autofree char *monaco = monaco_path ();
  BaliseImportStats ours = { 0, }, theirs = { 0, };
  g_autofree char *digest_ours = import_digest ("pbf-ours.db", monaco, FALSE, &ours);
  g_autofree char *digest_theirs = import_digest ("pbf-readosm.db", monaco, TRUE, &theirs);

  g_assert_cmpstr (digest_ours, ==, digest_theirs);
  g_assert_cmpuint (ours.nodes_read, ==, theirs.nodes_read);
  g_assert_cmpuint (ours.ways_read, ==, theirs.ways_read);
  g_assert_cmpuint (ours.relations_read, ==, theirs.relations_read);
  g_assert_cmpuint (ours.features, ==, theirs.features);
  g_assert_cmpuint (ours.ways_kept, ==, theirs.ways_kept);
  g_assert_cmpuint (ours.relations_read, >, 0);
  g_assert_cmpuint (ours.ways_kept, >, 1000);
}

/*
 * Writing PBF, for damaged and unusual files
 */

static void
put_varint (GByteArray *out,
            guint64     value)
{
  do
    {
      guint8 c = (value & 0x7f) | (value > 0x7f ? 0x80 : 0);

      g_byte_array_append (out, &c, 1);
      value >>= 7;
    }
  while (value != 0);
}

static void
put_bytes_field (GByteArray   *out,
                 guint         number,
                 const guint8 *data,
                 gsize         len)
{
  put_varint (out, (guint64) number << 3 | 2);
  put_varint (out, len);
  g_byte_array_append (out, data, len);
}

static void
put_varint_field (GByteArray *out,
                  guint       number,
                  guint64     value)
{
  put_varint (out, (guint64) number << 3);
  put_varint (out, value);
}

/* Appends a BlobHeader and its Blob, with @data in field @blob_field
 * (1: raw, 3: zlib, 4: lzma…). */
static void
put_blob (GByteArray   *file,
          const char   *type,
          guint         blob_field,
          const guint8 *data,
          gsize         len,
          gsize         raw_size)
{
  g_autoptr(GByteArray) header = g_byte_array_new ();
  g_autoptr(GByteArray) blob = g_byte_array_new ();
  guint8 size[4];

  put_bytes_field (blob, blob_field, data, len);
  if (blob_field != 1)
    put_varint_field (blob, 2, raw_size);
  put_bytes_field (header, 1, (const guint8 *) type, strlen (type));
  put_varint_field (header, 3, blob->len);

  size[0] = header->len >> 24;
  size[1] = header->len >> 16;
  size[2] = header->len >> 8;
  size[3] = header->len;
  g_byte_array_append (file, size, 4);
  g_byte_array_append (file, header->data, header->len);
  g_byte_array_append (file, blob->data, blob->len);
}

/* Reads the blobs of a PBF file: type and uncompressed content. */
static GPtrArray *
read_blocks (const guint8 *data,
             gsize         len,
             GPtrArray    *types)
{
  GPtrArray *blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) g_byte_array_unref);
  gsize at = 0;

  while (at < len)
    {
      guint32 header_len = (guint32) data[at] << 24 | (guint32) data[at + 1] << 16 |
                           (guint32) data[at + 2] << 8 | data[at + 3];
      const guint8 *p = data + at + 4, *end = p + header_len;
      g_autofree char *type = NULL;
      guint64 data_size = 0;
      const guint8 *zdata = NULL;
      guint64 zlen = 0, raw_size = 0;

      /* The BlobHeader: type (1) and datasize (3), in that order. */
      g_assert_cmpint (*p, ==, 0x0a);
      type = g_strndup ((const char *) p + 2, p[1]);
      p += 2 + p[1];
      g_assert_cmpint (*p++, ==, 0x18);
      for (guint shift = 0; ; shift += 7)
        {
          data_size |= (guint64) (*p & 0x7f) << shift;
          if ((*p++ & 0x80) == 0)
            break;
        }
      g_assert_true (p == end);

      /* The Blob: raw_size (2) and zlib_data (3), in either order. */
      p = end;
      end = p + data_size;
      while (p < end)
        {
          guint8 key = *p++;
          guint64 value = 0;

          for (guint shift = 0; ; shift += 7)
            {
              value |= (guint64) (*p & 0x7f) << shift;
              if ((*p++ & 0x80) == 0)
                break;
            }
          if (key == 0x10)
            raw_size = value;
          else if (key == 0x1a)
            {
              zdata = p;
              zlen = value;
              p += value;
            }
          else
            g_assert_not_reached ();
        }

      {
        GByteArray *block = g_byte_array_sized_new (raw_size);
        uLongf out_len = raw_size;

        g_byte_array_set_size (block, raw_size);
        g_assert_cmpint (uncompress (block->data, &out_len, zdata, zlen), ==, Z_OK);
        g_assert_cmpuint (out_len, ==, raw_size);
        g_ptr_array_add (blocks, block);
        g_ptr_array_add (types, g_steal_pointer (&type));
      }
      at = end - data;
    }
  return blocks;
}

typedef struct
{
  guint64 nodes, ways, relations, tags, refs;
  guint64 string_bytes;   /* of every key, value, user and timestamp */
  gint64  id_sum;
} Counts;

static void
count_strings (Counts            *counts,
               const readosm_tag *tags,
               int                tag_count,
               const char        *user,
               const char        *timestamp)
{
  counts->tags += tag_count;
  for (int i = 0; i < tag_count; i++)
    counts->string_bytes += strlen (tags[i].key) + strlen (tags[i].value);
  counts->string_bytes += (user != NULL ? strlen (user) : 0) + (timestamp != NULL ? strlen (timestamp) : 0);
}

static int
count_node (const void         *data,
            const readosm_node *node)
{
  Counts *counts = (Counts *) data;

  counts->nodes++;
  counts->id_sum += node->id;
  count_strings (counts, node->tags, node->tag_count, node->user, node->timestamp);
  return READOSM_OK;
}

static int
count_way (const void        *data,
           const readosm_way *way)
{
  Counts *counts = (Counts *) data;

  counts->ways++;
  counts->id_sum += way->id;
  counts->refs += way->node_ref_count;
  for (int i = 0; i < way->node_ref_count; i++)
    counts->id_sum += way->node_refs[i];
  count_strings (counts, way->tags, way->tag_count, way->user, way->timestamp);
  return READOSM_OK;
}

static int
count_relation (const void             *data,
                const readosm_relation *relation)
{
  Counts *counts = (Counts *) data;

  counts->relations++;
  counts->id_sum += relation->id;
  count_strings (counts, relation->tags, relation->tag_count, relation->user, relation->timestamp);
  return READOSM_OK;
}

static int
parse_bytes (const guint8 *data,
             gsize         len,
             Counts       *counts)
{
  g_autofree char *path = balise_test_tmp_path ("made.osm.pbf");

  g_assert_true (g_file_set_contents (path, (const char *) data, len, NULL));
  memset (counts, 0, sizeof *counts);
  return _balise_pbf_parse (path, counts, count_node, count_way, count_relation);
}

/* Monaco again with uncompressed blobs: the same elements. Then bytes of
 * those blocks changed at random: whatever they hold, the reader returns
 * (an error or not) without reading out of bounds, as the sanitizers of CI
 * check. */
static void
test_pbf_raw_and_damaged (void)
{
  g_autofree char *monaco = monaco_path ();
  g_autofree char *contents = NULL;
  g_autoptr(GPtrArray) types = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) blocks = NULL;
  g_autoptr(GByteArray) raw_file = g_byte_array_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261123);
  Counts zlib_counts, raw_counts, damaged_counts;
  guint errors = 0;
  gsize len;

  g_assert_true (g_file_get_contents (monaco, &contents, &len, NULL));
  g_assert_cmpint (parse_bytes ((const guint8 *) contents, len, &zlib_counts), ==, READOSM_OK);
  g_assert_cmpuint (zlib_counts.nodes, >, 10000);
  g_assert_cmpuint (zlib_counts.ways, >, 1000);

  blocks = read_blocks ((const guint8 *) contents, len, types);
  g_assert_cmpuint (blocks->len, >, 3);
  for (guint i = 0; i < blocks->len; i++)
    {
      GByteArray *block = g_ptr_array_index (blocks, i);

      put_blob (raw_file, g_ptr_array_index (types, i), 1, block->data, block->len, block->len);
    }
  g_assert_cmpint (parse_bytes (raw_file->data, raw_file->len, &raw_counts), ==, READOSM_OK);
  g_assert_cmpuint (raw_counts.nodes, ==, zlib_counts.nodes);
  g_assert_cmpuint (raw_counts.ways, ==, zlib_counts.ways);
  g_assert_cmpuint (raw_counts.relations, ==, zlib_counts.relations);
  g_assert_cmpuint (raw_counts.tags, ==, zlib_counts.tags);
  g_assert_cmpuint (raw_counts.refs, ==, zlib_counts.refs);
  g_assert_cmpuint (raw_counts.string_bytes, ==, zlib_counts.string_bytes);
  g_assert_cmpint (raw_counts.id_sum, ==, zlib_counts.id_sum);

  for (guint round = 0; round < 40; round++)
    {
      g_autoptr(GByteArray) damaged = g_byte_array_new ();
      int rc;

      for (guint i = 0; i < blocks->len; i++)
        {
          GByteArray *block = g_ptr_array_index (blocks, i);
          g_autofree guint8 *copy = g_memdup2 (block->data, block->len);

          /* A few bytes of one block in four. */
          if (g_rand_int_range (rand, 0, 4) == 0)
            for (guint k = 0; k < 3; k++)
              copy[g_rand_int_range (rand, 0, (gint32) block->len)] = g_rand_int_range (rand, 0, 256);
          put_blob (damaged, g_ptr_array_index (types, i), 1, copy, block->len, block->len);
        }
      rc = parse_bytes (damaged->data, damaged->len, &damaged_counts);
      g_assert_true (rc == READOSM_OK || rc == READOSM_INVALID_PBF_HEADER ||
                     rc == BALISE_PBF_UNSUPPORTED_FEATURE);
      errors += rc != READOSM_OK;
    }
  g_test_message ("%u of 40 damaged files refused", errors);
  g_assert_cmpuint (errors, >, 0);
}

/* Files Balise cannot read say why, and the store is left as it was. */
static void
test_pbf_unsupported (void)
{
  g_autoptr(BaliseStore) store = test_store_open ("pbf-unsupported.db");
  g_autofree char *monaco = monaco_path ();
  g_autofree char *lzma = balise_test_tmp_path ("lzma.osm.pbf");
  g_autofree char *history = balise_test_tmp_path ("history.osm.pbf");
  g_autofree char *bad_zlib = balise_test_tmp_path ("bad-zlib.osm.pbf");
  g_autofree char *contents = NULL;
  g_autoptr(GByteArray) file = g_byte_array_new ();
  g_autoptr(GByteArray) header_block = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  static const char * const features[] = { "OsmSchema-V0.6", "DenseNodes", "HistoricalInformation" };
  BaliseImportStats stats;
  gsize len;

  g_assert_true (balise_store_import_file (store, monaco, NULL, NULL, NULL, &stats, &error));
  g_assert_no_error (error);

  /* An OSMHeader blob compressed with LZMA. */
  put_blob (file, "OSMHeader", 4, (const guint8 *) "not really lzma", 15, 100);
  g_assert_true (g_file_set_contents (lzma, (const char *) file->data, file->len, NULL));
  g_assert_false (balise_store_import_file (store, lzma, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_PARSE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "compressed with a method"));
  g_clear_error (&error);

  /* A history file: a required feature Balise does not know. */
  for (guint i = 0; i < G_N_ELEMENTS (features); i++)
    put_bytes_field (header_block, 4, (const guint8 *) features[i], strlen (features[i]));
  g_byte_array_set_size (file, 0);
  put_blob (file, "OSMHeader", 1, header_block->data, header_block->len, header_block->len);
  g_assert_true (g_file_set_contents (history, (const char *) file->data, file->len, NULL));
  g_assert_false (balise_store_import_file (store, history, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_PARSE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "needs a feature"));
  g_clear_error (&error);

  /* Monaco with a byte of its last block's zlib stream changed. */
  g_assert_true (g_file_get_contents (monaco, &contents, &len, NULL));
  contents[len - 100] ^= 0x55;
  g_assert_true (g_file_set_contents (bad_zlib, contents, len, NULL));
  g_assert_false (balise_store_import_file (store, bad_zlib, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_PARSE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "damaged"));
  g_clear_error (&error);

  /* Nothing of the three came in. */
  {
    g_autoptr(GPtrArray) counts = balise_store_count_categories (store, &error);
    guint64 total = 0;

    g_assert_no_error (error);
    for (guint i = 0; i < counts->len; i++)
      total += ((BaliseCount *) g_ptr_array_index (counts, i))->count;
    g_assert_cmpuint (total, ==, stats.features + stats.ways_kept);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pbf/same-as-readosm", test_pbf_same_as_readosm);
  g_test_add_func ("/pbf/raw-and-damaged", test_pbf_raw_and_damaged);
  g_test_add_func ("/pbf/unsupported", test_pbf_unsupported);

  return g_test_run ();
}
