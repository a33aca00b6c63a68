/* balise-way-nodes.c: a way's node list as the store keeps it
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-store"

#include "config.h"

#include "balise-way-nodes.h"

static void
put_varint (GByteArray *blob,
            guint64     value)
{
  guint8 bytes[10];
  guint n = 0;

  while (value >= 0x80)
    {
      bytes[n++] = (guint8) (value | 0x80);
      value >>= 7;
    }
  bytes[n++] = (guint8) value;
  g_byte_array_append (blob, bytes, n);
}

static gboolean
get_varint (const guint8 **p,
            const guint8  *end,
            guint64       *value)
{
  guint64 result = 0;

  for (guint shift = 0; shift < 64 && *p < end; shift += 7)
    {
      guint8 byte = *(*p)++;

      result |= (guint64) (byte & 0x7f) << shift;
      if ((byte & 0x80) == 0)
        {
          *value = result;
          return TRUE;
        }
    }
  return FALSE;
}

void
_balise_way_nodes_append (GByteArray *blob,
                          gint64     *previous_id,
                          gint64      id,
                          gint64      version)
{
  /* Unsigned arithmetic: the difference of two ids may overflow a gint64. */
  guint64 delta = (guint64) id - (guint64) *previous_id;
  guint64 zigzag = (delta << 1) ^ (guint64) ((gint64) delta >> 63);

  put_varint (blob, zigzag);
  put_varint (blob, version > 0 ? (guint64) version : 0);
  *previous_id = id;
}

gboolean
_balise_way_nodes_decode (const guint8 *blob,
                          gsize         len,
                          GArray       *nodes)
{
  const guint8 *p = blob;
  const guint8 *end = blob + len;
  guint64 id = 0;

  g_return_val_if_fail (g_array_get_element_size (nodes) == sizeof (BaliseWayNode), FALSE);

  if (blob == NULL || len == 0)
    return FALSE;

  while (p < end)
    {
      guint64 zigzag, version;
      BaliseWayNode node = { 0, };

      if (!get_varint (&p, end, &zigzag) || !get_varint (&p, end, &version) ||
          version > G_MAXINT64)
        return FALSE;
      id += (zigzag >> 1) ^ (0 - (zigzag & 1));
      node.id = (gint64) id;
      node.version = (gint64) version;
      g_array_append_val (nodes, node);
    }
  return TRUE;
}

GBytes *
_balise_way_nodes_from_json (const char *json)
{
  g_autoptr(GByteArray) blob = g_byte_array_new ();
  const char *p = json;
  gint64 previous = 0;

  if (p == NULL)
    return NULL;
  while (g_ascii_isspace (*p))
    p++;
  if (*p++ != '[')
    return NULL;

  for (;;)
    {
      char *end = NULL;
      gint64 id;

      while (g_ascii_isspace (*p))
        p++;
      if (*p == ']' && blob->len == 0)
        return NULL;   /* a way has nodes */
      id = g_ascii_strtoll (p, &end, 10);
      if (end == p)
        return NULL;
      _balise_way_nodes_append (blob, &previous, id, 0);
      p = end;
      while (g_ascii_isspace (*p))
        p++;
      if (*p == ']')
        break;
      if (*p++ != ',')
        return NULL;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&blob));
}
