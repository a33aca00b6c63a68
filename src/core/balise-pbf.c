/* balise-pbf.c: a reader of OpenStreetMap PBF files
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-import"

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "balise-pbf.h"

/* Why Balise reads PBF itself
 *
 * libreadosm allocates every node, tag and way on the heap and formats
 * every timestamp with sprintf(): on the benchmark extract that was two
 * thirds of the reading thread, the slower of the import's two threads.
 * This reader decodes a block in place (the string table copied once, NUL-
 * terminated) and hands the same readosm structures to the same callbacks,
 * so that the import code is one for .osm (still read by libreadosm) and
 * .osm.pbf.
 *
 * The format (https://wiki.openstreetmap.org/wiki/PBF_Format): a sequence
 * of a 4-byte big-endian BlobHeader length, a BlobHeader (type, datasize)
 * and a Blob (raw or zlib data) holding an OSMHeader block first, then
 * OSMData blocks. Every count and length is checked against what is left
 * of its buffer: a damaged file gives an error code, never a read out of
 * bounds; additions of deltas are done unsigned so that they wrap instead
 * of overflowing. */

#define MAX_HEADER_SIZE (64 * 1024)
#define MAX_BLOB_SIZE   (32 * 1024 * 1024)

typedef struct
{
  const guint8 *p;
  const guint8 *end;
} Buf;

typedef struct
{
  guint32 number;
  guint32 wire;
  guint64 value;   /* a varint's */
  Buf     bytes;   /* a length-delimited field's */
} Field;

typedef struct
{
  const void                *user_data;
  readosm_node_callback      node_func;
  readosm_way_callback       way_func;
  readosm_relation_callback  relation_func;

  FILE                      *file;
  GByteArray                *blob;
  GByteArray                *raw;

  /* The block being read */
  GByteArray                *strings;       /* the string table, NUL-terminated */
  GArray                    *string_offsets; /* guint32 */
  GPtrArray                 *string_table;  /* const char * into strings */
  gint64                     granularity;
  gint64                     lat_offset;
  gint64                     lon_offset;
  gint64                     date_granularity;

  GArray                    *tags;          /* readosm_tag */
  GArray                    *refs;          /* long long */
} Parser;

static gboolean
read_varint (Buf     *b,
             guint64 *out)
{
  guint64 value = 0;

  for (guint shift = 0; shift < 64 && b->p < b->end; shift += 7)
    {
      guint8 c = *b->p++;

      value |= (guint64) (c & 0x7f) << shift;
      if ((c & 0x80) == 0)
        {
          *out = value;
          return TRUE;
        }
    }
  return FALSE;
}

static inline gint64
zigzag (guint64 value)
{
  return (gint64) (value >> 1) ^ -(gint64) (value & 1);
}

static gboolean
next_field (Buf   *b,
            Field *f)
{
  guint64 key, len;

  if (!read_varint (b, &key))
    return FALSE;
  f->number = (guint32) (key >> 3);
  f->wire = key & 7;
  switch (f->wire)
    {
    case 0:
      return read_varint (b, &f->value);
    case 1:
      if (b->end - b->p < 8)
        return FALSE;
      b->p += 8;
      return TRUE;
    case 2:
      if (!read_varint (b, &len) || len > (guint64) (b->end - b->p))
        return FALSE;
      f->bytes.p = b->p;
      f->bytes.end = b->p + len;
      b->p += len;
      return TRUE;
    case 5:
      if (b->end - b->p < 4)
        return FALSE;
      b->p += 4;
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
bytes_equal (const Buf  *b,
             const char *s)
{
  gsize n = strlen (s);

  return (gsize) (b->end - b->p) == n && memcmp (b->p, s, n) == 0;
}

/*
 * Strings and tags
 */

static gboolean
read_string_table (Parser *parser,
                   Buf     table)
{
  Field f = { 0, };

  g_byte_array_set_size (parser->strings, 0);
  g_array_set_size (parser->string_offsets, 0);
  g_ptr_array_set_size (parser->string_table, 0);
  while (table.p < table.end)
    {
      static const guint8 nul = 0;
      guint32 offset = parser->strings->len;

      if (!next_field (&table, &f))
        return FALSE;
      if (f.number != 1 || f.wire != 2)
        continue;
      g_byte_array_append (parser->strings, f.bytes.p, f.bytes.end - f.bytes.p);
      g_byte_array_append (parser->strings, &nul, 1);
      g_array_append_val (parser->string_offsets, offset);
    }
  /* Pointers only now that the buffer no longer moves. */
  for (guint i = 0; i < parser->string_offsets->len; i++)
    g_ptr_array_add (parser->string_table,
                     parser->strings->data + g_array_index (parser->string_offsets, guint32, i));
  return TRUE;
}

static const char *
string_at (Parser  *parser,
           guint64  index)
{
  if (index >= parser->string_table->len)
    return NULL;
  return g_ptr_array_index (parser->string_table, index);
}

static gboolean
add_tag (Parser  *parser,
         guint64  key,
         guint64  value)
{
  readosm_tag tag = { string_at (parser, key), string_at (parser, value) };

  if (tag.key == NULL || tag.value == NULL)
    return FALSE;
  g_array_append_val (parser->tags, tag);
  return TRUE;
}

/* Tags given as two packed lists of string indexes. */
static gboolean
read_key_value_lists (Parser *parser,
                      Buf     keys,
                      Buf     values)
{
  g_array_set_size (parser->tags, 0);
  while (keys.p < keys.end)
    {
      guint64 key, value;

      if (!read_varint (&keys, &key) || !read_varint (&values, &value) ||
          !add_tag (parser, key, value))
        return FALSE;
    }
  return values.p == values.end;
}

/* "YYYY-MM-DDTHH:MM:SSZ" as libreadosm writes it; NULL outside years 1–9999. */
static const char *
format_timestamp (gint64  seconds,
                  char    out[21])
{
  gint64 days, rem, era, doe, yoe, doy, mp, year, month, day;

  if (seconds < -62135596800 || seconds > 253402300799)
    return NULL;

  days = seconds / 86400;
  rem = seconds % 86400;
  if (rem < 0)
    {
      rem += 86400;
      days--;
    }
  /* Days since 1970-01-01 to a civil date (proleptic Gregorian). */
  days += 719468;
  era = (days >= 0 ? days : days - 146096) / 146097;
  doe = days - era * 146097;
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  day = doy - (153 * mp + 2) / 5 + 1;
  month = mp < 10 ? mp + 3 : mp - 9;
  year = yoe + era * 400 + (month <= 2);

  out[0] = '0' + year / 1000;
  out[1] = '0' + year / 100 % 10;
  out[2] = '0' + year / 10 % 10;
  out[3] = '0' + year % 10;
  out[4] = '-';
  out[5] = '0' + month / 10;
  out[6] = '0' + month % 10;
  out[7] = '-';
  out[8] = '0' + day / 10;
  out[9] = '0' + day % 10;
  out[10] = 'T';
  out[11] = '0' + rem / 36000;
  out[12] = '0' + rem / 3600 % 10;
  out[13] = ':';
  out[14] = '0' + rem % 3600 / 600;
  out[15] = '0' + rem % 3600 / 60 % 10;
  out[16] = ':';
  out[17] = '0' + rem % 60 / 10;
  out[18] = '0' + rem % 10;
  out[19] = 'Z';
  out[20] = '\0';
  return out;
}

static const char *
block_timestamp (Parser  *parser,
                 gint64   value,
                 char     out[21])
{
  /* The unit is date_granularity milliseconds; the bounds keep the
   * product far from overflowing. */
  if (value < -G_GINT64_CONSTANT (1099511627776) || value > G_GINT64_CONSTANT (1099511627776) ||
      parser->date_granularity <= 0 || parser->date_granularity > 1000000)
    return NULL;
  return format_timestamp (value * parser->date_granularity / 1000, out);
}

/*
 * Elements
 */

typedef struct
{
  int         version;
  long long   changeset;
  int         uid;
  const char *user;
  const char *timestamp;
  char        timestamp_buf[21];
} Info;

static gboolean
read_info (Parser *parser,
           Buf     b,
           Info   *info)
{
  Field f = { 0, };

  while (b.p < b.end)
    {
      if (!next_field (&b, &f))
        return FALSE;
      if (f.wire != 0)
        continue;
      switch (f.number)
        {
        case 1:
          info->version = (gint32) (guint32) f.value;
          break;
        case 2:
          info->timestamp = block_timestamp (parser, (gint64) f.value, info->timestamp_buf);
          break;
        case 3:
          info->changeset = (gint64) f.value;
          break;
        case 4:
          info->uid = (gint32) (guint32) f.value;
          break;
        case 5:
          info->user = string_at (parser, f.value);
          if (info->user == NULL)
            return FALSE;
          break;
        default:
          break;
        }
    }
  return TRUE;
}

static double
block_coordinate (Parser  *parser,
                  gint64   offset,
                  guint64  value)
{
  /* In nanodegrees; wrapping arithmetic, as a damaged file may hold anything. */
  return (double) (gint64) ((guint64) offset + (guint64) parser->granularity * value) / 1e9;
}

static int
read_node (Parser *parser,
           Buf     b)
{
  Buf keys = { NULL, NULL }, values = { NULL, NULL };
  Info info = { 0, };
  gint64 id = 0;
  guint64 lat = 0, lon = 0;
  Field f = { 0, };

  while (b.p < b.end)
    {
      if (!next_field (&b, &f))
        return READOSM_INVALID_PBF_HEADER;
      if (f.number == 1 && f.wire == 0)
        id = zigzag (f.value);
      else if (f.number == 2 && f.wire == 2)
        keys = f.bytes;
      else if (f.number == 3 && f.wire == 2)
        values = f.bytes;
      else if (f.number == 4 && f.wire == 2 && !read_info (parser, f.bytes, &info))
        return READOSM_INVALID_PBF_HEADER;
      else if (f.number == 8 && f.wire == 0)
        lat = (guint64) zigzag (f.value);
      else if (f.number == 9 && f.wire == 0)
        lon = (guint64) zigzag (f.value);
    }
  if (!read_key_value_lists (parser, keys, values))
    return READOSM_INVALID_PBF_HEADER;

  {
    readosm_node node = {
      id, block_coordinate (parser, parser->lat_offset, lat),
      block_coordinate (parser, parser->lon_offset, lon),
      info.version, info.changeset, info.user, info.uid, info.timestamp,
      (int) parser->tags->len, (const readosm_tag *) (gpointer) parser->tags->data,
    };

    return parser->node_func != NULL ? parser->node_func (parser->user_data, &node) : READOSM_OK;
  }
}

/* A packed list read one value at a time, alongside the others. */
typedef struct
{
  Buf      b;
  gboolean present;
  guint64  sum;   /* of the deltas so far */
} Column;

static gboolean
column_next_delta (Column  *column,
                   guint64 *out)
{
  guint64 value;

  if (!column->present)
    {
      *out = 0;
      return TRUE;
    }
  if (!read_varint (&column->b, &value))
    return FALSE;
  column->sum += (guint64) zigzag (value);
  *out = column->sum;
  return TRUE;
}

static int
read_dense (Parser *parser,
            Buf     b)
{
  Column ids = { { NULL, NULL }, FALSE, 0 }, lats = ids, lons = ids;
  Column versions = ids, timestamps = ids, changesets = ids, uids = ids, users = ids;
  Buf keys_vals = { NULL, NULL };
  gboolean has_info = FALSE;
  Field f = { 0, };

  while (b.p < b.end)
    {
      if (!next_field (&b, &f))
        return READOSM_INVALID_PBF_HEADER;
      if (f.wire != 2)
        continue;
      switch (f.number)
        {
        case 1:
          ids.b = f.bytes;
          ids.present = TRUE;
          break;
        case 5:
          {
            Buf info = f.bytes;
            Field g = { 0, };

            has_info = TRUE;
            while (info.p < info.end)
              {
                Column *column = NULL;

                if (!next_field (&info, &g))
                  return READOSM_INVALID_PBF_HEADER;
                if (g.wire != 2)
                  continue;
                switch (g.number)
                  {
                  case 1: column = &versions; break;
                  case 2: column = &timestamps; break;
                  case 3: column = &changesets; break;
                  case 4: column = &uids; break;
                  case 5: column = &users; break;
                  default: break;
                  }
                if (column != NULL)
                  {
                    column->b = g.bytes;
                    column->present = TRUE;
                  }
              }
          }
          break;
        case 8:
          lats.b = f.bytes;
          lats.present = TRUE;
          break;
        case 9:
          lons.b = f.bytes;
          lons.present = TRUE;
          break;
        case 10:
          keys_vals = f.bytes;
          break;
        default:
          break;
        }
    }

  while (ids.present && ids.b.p < ids.b.end)
    {
      guint64 id, lat, lon, timestamp, changeset, uid, user, version = 0;
      char timestamp_buf[21];
      const char *user_name = NULL;
      const char *timestamp_text = NULL;
      int rc;

      if (!column_next_delta (&ids, &id) || !column_next_delta (&lats, &lat) ||
          !column_next_delta (&lons, &lon) || !column_next_delta (&timestamps, &timestamp) ||
          !column_next_delta (&changesets, &changeset) || !column_next_delta (&uids, &uid) ||
          !column_next_delta (&users, &user) ||
          (versions.present && !read_varint (&versions.b, &version)))
        return READOSM_INVALID_PBF_HEADER;
      if (!lats.present || !lons.present)
        return READOSM_INVALID_PBF_HEADER;

      /* Tags: key, value, key, value… then 0 for each node. */
      g_array_set_size (parser->tags, 0);
      while (keys_vals.p < keys_vals.end)
        {
          guint64 key, value;

          if (!read_varint (&keys_vals, &key))
            return READOSM_INVALID_PBF_HEADER;
          if (key == 0)
            break;
          if (!read_varint (&keys_vals, &value) || !add_tag (parser, key, value))
            return READOSM_INVALID_PBF_HEADER;
        }

      if (has_info)
        {
          if (users.present && (user_name = string_at (parser, user)) == NULL)
            return READOSM_INVALID_PBF_HEADER;
          if (timestamps.present)
            timestamp_text = block_timestamp (parser, (gint64) timestamp, timestamp_buf);
        }

      {
        readosm_node node = {
          (gint64) id, block_coordinate (parser, parser->lat_offset, lat),
          block_coordinate (parser, parser->lon_offset, lon),
          (gint32) (guint32) version, (gint64) changeset, user_name, (gint32) (guint32) uid,
          timestamp_text,
          (int) parser->tags->len, (const readosm_tag *) (gpointer) parser->tags->data,
        };

        rc = parser->node_func != NULL ? parser->node_func (parser->user_data, &node) : READOSM_OK;
        if (rc != READOSM_OK)
          return rc;
      }
    }
  return READOSM_OK;
}

static int
read_way (Parser *parser,
          Buf     b)
{
  Buf keys = { NULL, NULL }, values = { NULL, NULL }, refs = { NULL, NULL };
  Info info = { 0, };
  gint64 id = 0;
  guint64 ref = 0;
  Field f = { 0, };

  while (b.p < b.end)
    {
      if (!next_field (&b, &f))
        return READOSM_INVALID_PBF_HEADER;
      if (f.number == 1 && f.wire == 0)
        id = (gint64) f.value;
      else if (f.number == 2 && f.wire == 2)
        keys = f.bytes;
      else if (f.number == 3 && f.wire == 2)
        values = f.bytes;
      else if (f.number == 4 && f.wire == 2 && !read_info (parser, f.bytes, &info))
        return READOSM_INVALID_PBF_HEADER;
      else if (f.number == 8 && f.wire == 2)
        refs = f.bytes;
    }
  if (!read_key_value_lists (parser, keys, values))
    return READOSM_INVALID_PBF_HEADER;

  g_array_set_size (parser->refs, 0);
  while (refs.p < refs.end)
    {
      guint64 delta;
      long long value;

      if (!read_varint (&refs, &delta))
        return READOSM_INVALID_PBF_HEADER;
      ref += (guint64) zigzag (delta);
      value = (gint64) ref;
      g_array_append_val (parser->refs, value);
    }
  if (parser->refs->len > G_MAXINT)
    return READOSM_INVALID_PBF_HEADER;

  {
    readosm_way way = {
      id, info.version, info.changeset, info.user, info.uid, info.timestamp,
      (int) parser->refs->len, (const long long *) (gpointer) parser->refs->data,
      (int) parser->tags->len, (const readosm_tag *) (gpointer) parser->tags->data,
    };

    return parser->way_func != NULL ? parser->way_func (parser->user_data, &way) : READOSM_OK;
  }
}

/* Relations are counted, not imported: only their id, metadata and tags. */
static int
read_relation (Parser *parser,
               Buf     b)
{
  Buf keys = { NULL, NULL }, values = { NULL, NULL };
  Info info = { 0, };
  gint64 id = 0;
  Field f = { 0, };

  while (b.p < b.end)
    {
      if (!next_field (&b, &f))
        return READOSM_INVALID_PBF_HEADER;
      if (f.number == 1 && f.wire == 0)
        id = (gint64) f.value;
      else if (f.number == 2 && f.wire == 2)
        keys = f.bytes;
      else if (f.number == 3 && f.wire == 2)
        values = f.bytes;
      else if (f.number == 4 && f.wire == 2 && !read_info (parser, f.bytes, &info))
        return READOSM_INVALID_PBF_HEADER;
    }
  if (!read_key_value_lists (parser, keys, values))
    return READOSM_INVALID_PBF_HEADER;

  {
    readosm_relation relation = {
      id, info.version, info.changeset, info.user, info.uid, info.timestamp, 0, NULL,
      (int) parser->tags->len, (const readosm_tag *) (gpointer) parser->tags->data,
    };

    return parser->relation_func != NULL
             ? parser->relation_func (parser->user_data, &relation) : READOSM_OK;
  }
}

static int
read_group (Parser *parser,
            Buf     b)
{
  Field f = { 0, };
  int rc = READOSM_OK;

  while (rc == READOSM_OK && b.p < b.end)
    {
      if (!next_field (&b, &f))
        return READOSM_INVALID_PBF_HEADER;
      if (f.wire != 2)
        continue;
      switch (f.number)
        {
        case 1:
          rc = read_node (parser, f.bytes);
          break;
        case 2:
          rc = read_dense (parser, f.bytes);
          break;
        case 3:
          rc = read_way (parser, f.bytes);
          break;
        case 4:
          rc = read_relation (parser, f.bytes);
          break;
        default:
          break;
        }
    }
  return rc;
}

static int
read_data_block (Parser *parser,
                 Buf     block)
{
  Buf b = block;
  Field f = { 0, };
  int rc = READOSM_OK;

  /* The string table and the block's units first: they are encoded after
   * the groups (fields 17 to 20). */
  parser->granularity = 100;
  parser->lat_offset = 0;
  parser->lon_offset = 0;
  parser->date_granularity = 1000;
  g_ptr_array_set_size (parser->string_table, 0);
  while (b.p < b.end)
    {
      if (!next_field (&b, &f))
        return READOSM_INVALID_PBF_HEADER;
      if (f.number == 1 && f.wire == 2)
        {
          if (!read_string_table (parser, f.bytes))
            return READOSM_INVALID_PBF_HEADER;
        }
      else if (f.number == 17 && f.wire == 0)
        parser->granularity = (gint32) (guint32) f.value;
      else if (f.number == 18 && f.wire == 0)
        parser->date_granularity = (gint32) (guint32) f.value;
      else if (f.number == 19 && f.wire == 0)
        parser->lat_offset = (gint64) f.value;
      else if (f.number == 20 && f.wire == 0)
        parser->lon_offset = (gint64) f.value;
    }

  b = block;
  while (rc == READOSM_OK && b.p < b.end)
    {
      if (!next_field (&b, &f))
        return READOSM_INVALID_PBF_HEADER;
      if (f.number == 2 && f.wire == 2)
        rc = read_group (parser, f.bytes);
    }
  return rc;
}

static int
read_header_block (Buf block)
{
  Field f = { 0, };

  while (block.p < block.end)
    {
      if (!next_field (&block, &f))
        return READOSM_INVALID_PBF_HEADER;
      /* required_features: what a reader must understand. */
      if (f.number == 4 && f.wire == 2 &&
          !bytes_equal (&f.bytes, "OsmSchema-V0.6") && !bytes_equal (&f.bytes, "DenseNodes"))
        return BALISE_PBF_UNSUPPORTED_FEATURE;
    }
  return READOSM_OK;
}

/*
 * The file: blob headers and blobs
 */

/* Reads @len bytes; FALSE at the end of the file or on an error. */
static gboolean
read_exactly (Parser     *parser,
              GByteArray *into,
              gsize       len)
{
  g_byte_array_set_size (into, len);
  return fread (into->data, 1, len, parser->file) == len;
}

/* The content of the blob in parser->blob, uncompressed, in *@out. */
static int
unpack_blob (Parser *parser,
             Buf    *out)
{
  Buf b = { parser->blob->data, parser->blob->data + parser->blob->len };
  Buf raw = { NULL, NULL }, zlib_data = { NULL, NULL };
  gboolean has_raw = FALSE, has_zlib = FALSE;
  guint64 raw_size = 0;
  Field f = { 0, };

  while (b.p < b.end)
    {
      if (!next_field (&b, &f))
        return READOSM_INVALID_PBF_HEADER;
      if (f.number == 1 && f.wire == 2)
        {
          raw = f.bytes;
          has_raw = TRUE;
        }
      else if (f.number == 2 && f.wire == 0)
        raw_size = f.value;
      else if (f.number == 3 && f.wire == 2)
        {
          zlib_data = f.bytes;
          has_zlib = TRUE;
        }
      else if (f.number >= 4 && f.number <= 7 && f.wire == 2)
        return BALISE_PBF_UNSUPPORTED_COMPRESSION;
    }

  if (has_raw)
    {
      *out = raw;
      return READOSM_OK;
    }
  if (!has_zlib || raw_size > MAX_BLOB_SIZE)
    return READOSM_INVALID_PBF_HEADER;

  {
    uLongf len = (uLongf) raw_size;

    g_byte_array_set_size (parser->raw, MAX (raw_size, 1));
    if (uncompress (parser->raw->data, &len, zlib_data.p, (uLong) (zlib_data.end - zlib_data.p)) != Z_OK ||
        len != raw_size)
      return READOSM_UNZIP_ERROR;
    out->p = parser->raw->data;
    out->end = parser->raw->data + len;
  }
  return READOSM_OK;
}

static int
parse_file (Parser *parser)
{
  g_autoptr(GByteArray) header = g_byte_array_new ();
  gboolean first = TRUE;

  for (;;)
    {
      guint8 size_bytes[4];
      gsize got = fread (size_bytes, 1, 4, parser->file);
      guint32 header_size;
      Buf b, type = { NULL, NULL }, block;
      guint64 data_size = 0;
      gboolean has_size = FALSE;
      Field f = { 0, };
      int rc;

      if (got == 0 && feof (parser->file) && !first)
        return READOSM_OK;
      if (got != 4)
        return READOSM_READ_ERROR;
      header_size = ((guint32) size_bytes[0] << 24) | ((guint32) size_bytes[1] << 16) |
                    ((guint32) size_bytes[2] << 8) | size_bytes[3];
      if (header_size == 0 || header_size > MAX_HEADER_SIZE)
        return READOSM_INVALID_PBF_HEADER;
      if (!read_exactly (parser, header, header_size))
        return READOSM_READ_ERROR;

      b.p = header->data;
      b.end = header->data + header->len;
      while (b.p < b.end)
        {
          if (!next_field (&b, &f))
            return READOSM_INVALID_PBF_HEADER;
          if (f.number == 1 && f.wire == 2)
            type = f.bytes;
          else if (f.number == 3 && f.wire == 0)
            {
              data_size = f.value;
              has_size = TRUE;
            }
        }
      if (type.p == NULL || !has_size || data_size > MAX_BLOB_SIZE)
        return READOSM_INVALID_PBF_HEADER;
      if (!read_exactly (parser, parser->blob, data_size))
        return READOSM_READ_ERROR;

      if (first)
        {
          if (!bytes_equal (&type, "OSMHeader"))
            return READOSM_INVALID_PBF_HEADER;
          rc = unpack_blob (parser, &block);
          if (rc == READOSM_OK)
            rc = read_header_block (block);
          first = FALSE;
        }
      else if (bytes_equal (&type, "OSMData"))
        {
          rc = unpack_blob (parser, &block);
          if (rc == READOSM_OK)
            rc = read_data_block (parser, block);
        }
      else
        rc = READOSM_OK;   /* a kind of block this reader does not know: skipped */

      if (rc != READOSM_OK)
        return rc;
    }
}

/**
 * _balise_pbf_parse:
 *
 * Reads the PBF file at @path, calling back for every node, way and
 * relation with the structures of libreadosm (valid during the call only),
 * in file order. A callback returning anything but READOSM_OK stops the
 * parse, which returns that value.
 *
 * Returns: READOSM_OK, a READOSM_* error code, or BALISE_PBF_UNSUPPORTED_*.
 */
int
_balise_pbf_parse (const char                *path,
                   const void                *user_data,
                   readosm_node_callback      node_func,
                   readosm_way_callback       way_func,
                   readosm_relation_callback  relation_func)
{
  Parser parser = { 0, };
  int rc;

  parser.user_data = user_data;
  parser.node_func = node_func;
  parser.way_func = way_func;
  parser.relation_func = relation_func;

  parser.file = fopen (path, "rb");
  if (parser.file == NULL)
    return errno == ENOMEM ? READOSM_INSUFFICIENT_MEMORY : READOSM_FILE_NOT_FOUND;

  parser.blob = g_byte_array_new ();
  parser.raw = g_byte_array_new ();
  parser.strings = g_byte_array_new ();
  parser.string_offsets = g_array_new (FALSE, FALSE, sizeof (guint32));
  parser.string_table = g_ptr_array_new ();
  parser.tags = g_array_new (FALSE, FALSE, sizeof (readosm_tag));
  parser.refs = g_array_new (FALSE, FALSE, sizeof (long long));

  rc = parse_file (&parser);

  fclose (parser.file);
  g_byte_array_unref (parser.blob);
  g_byte_array_unref (parser.raw);
  g_byte_array_unref (parser.strings);
  g_array_unref (parser.string_offsets);
  g_ptr_array_unref (parser.string_table);
  g_array_unref (parser.tags);
  g_array_unref (parser.refs);
  return rc;
}
