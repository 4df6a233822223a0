/*
 * rf-image-cache.c
 *
 * Copyright 2026 The Refinery authors
 *
 * This program is free software: you can redistribute it and/or modify
 * it under the terms of the GNU General Public License as published by
 * the Free Software Foundation, either version 3 of the License, or
 * (at your option) any later version.
 *
 * This program is distributed in the hope that it will be useful,
 * but WITHOUT ANY WARRANTY; without even the implied warranty of
 * MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the
 * GNU General Public License for more details.
 *
 * You should have received a copy of the GNU General Public License
 * along with this program.  If not, see <http://www.gnu.org/licenses/>.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rf-image-cache"

#include "config.h"

#include "rf-image-cache.h"

typedef struct
{
  GObject          *frame;
  GObject          *other;
  RfImageCacheKind  kind;
} Key;

typedef struct
{
  Key      key;
  GObject *value;
  gsize    bytes;
  GList    link;    /* in the LRU queue, data = the entry */
} Entry;

struct _RfImageCache
{
  GObject     parent_instance;

  gsize       budget;
  gsize       size;
  GHashTable *entries;  /* Key* → Entry* (the key is the entry's own) */
  GQueue      lru;      /* Entry*, most recently used first */
};

G_DEFINE_FINAL_TYPE (RfImageCache, rf_image_cache, G_TYPE_OBJECT)

static guint
key_hash (gconstpointer data)
{
  const Key *key = data;

  return g_direct_hash (key->frame) ^ (g_direct_hash (key->other) * 31) ^ (guint) key->kind;
}

static gboolean
key_equal (gconstpointer a,
           gconstpointer b)
{
  const Key *ka = a;
  const Key *kb = b;

  return ka->frame == kb->frame && ka->other == kb->other && ka->kind == kb->kind;
}

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_clear_object (&entry->key.frame);
  g_clear_object (&entry->key.other);
  g_clear_object (&entry->value);
  g_free (entry);
}

static void
remove_entry (RfImageCache *self,
              Entry        *entry)
{
  g_queue_unlink (&self->lru, &entry->link);
  self->size -= entry->bytes;
  g_hash_table_remove (self->entries, &entry->key);
}

static void
evict_to (RfImageCache *self,
          gsize         limit)
{
  while (self->size > limit && self->lru.tail != NULL)
    remove_entry (self, self->lru.tail->data);
}

static void
rf_image_cache_finalize (GObject *object)
{
  RfImageCache *self = (RfImageCache *)object;

  rf_image_cache_clear (self);
  g_clear_pointer (&self->entries, g_hash_table_unref);

  G_OBJECT_CLASS (rf_image_cache_parent_class)->finalize (object);
}

static void
rf_image_cache_class_init (RfImageCacheClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rf_image_cache_finalize;
}

static void
rf_image_cache_init (RfImageCache *self)
{
  self->entries = g_hash_table_new_full (key_hash, key_equal, NULL, entry_free);
}

RfImageCache *
rf_image_cache_new (gsize budget)
{
  RfImageCache *self = g_object_new (RF_TYPE_IMAGE_CACHE, NULL);

  self->budget = budget;
  return self;
}

gsize
rf_image_cache_get_budget (RfImageCache *self)
{
  g_return_val_if_fail (RF_IS_IMAGE_CACHE (self), 0);

  return self->budget;
}

void
rf_image_cache_set_budget (RfImageCache *self,
                           gsize         budget)
{
  g_return_if_fail (RF_IS_IMAGE_CACHE (self));

  self->budget = budget;
  evict_to (self, budget);
}

gsize
rf_image_cache_get_size (RfImageCache *self)
{
  g_return_val_if_fail (RF_IS_IMAGE_CACHE (self), 0);

  return self->size;
}

guint
rf_image_cache_get_n_entries (RfImageCache *self)
{
  g_return_val_if_fail (RF_IS_IMAGE_CACHE (self), 0);

  return g_hash_table_size (self->entries);
}

gboolean
rf_image_cache_insert (RfImageCache     *self,
                       GObject          *frame,
                       GObject          *other,
                       RfImageCacheKind  kind,
                       GObject          *value,
                       gsize             bytes)
{
  Key key = { frame, other, kind };
  Entry *entry;

  g_return_val_if_fail (RF_IS_IMAGE_CACHE (self), FALSE);
  g_return_val_if_fail (G_IS_OBJECT (frame), FALSE);
  g_return_val_if_fail (other == NULL || G_IS_OBJECT (other), FALSE);
  g_return_val_if_fail (G_IS_OBJECT (value), FALSE);

  if ((entry = g_hash_table_lookup (self->entries, &key)) != NULL)
    {
      g_queue_unlink (&self->lru, &entry->link);
      g_queue_push_head_link (&self->lru, &entry->link);
      return TRUE;
    }

  if (self->budget == 0 || bytes > self->budget)
    return FALSE;

  evict_to (self, self->budget - bytes);

  entry = g_new0 (Entry, 1);
  entry->key.frame = g_object_ref (frame);
  entry->key.other = other != NULL ? g_object_ref (other) : NULL;
  entry->key.kind = kind;
  entry->value = g_object_ref (value);
  entry->bytes = bytes;
  entry->link.data = entry;
  g_hash_table_insert (self->entries, &entry->key, entry);
  g_queue_push_head_link (&self->lru, &entry->link);
  self->size += bytes;

  return TRUE;
}

gpointer
rf_image_cache_lookup (RfImageCache     *self,
                       GObject          *frame,
                       GObject          *other,
                       RfImageCacheKind  kind)
{
  Key key = { frame, other, kind };
  Entry *entry;

  g_return_val_if_fail (RF_IS_IMAGE_CACHE (self), NULL);

  if ((entry = g_hash_table_lookup (self->entries, &key)) == NULL)
    return NULL;

  g_queue_unlink (&self->lru, &entry->link);
  g_queue_push_head_link (&self->lru, &entry->link);
  return entry->value;
}

void
rf_image_cache_clear (RfImageCache *self)
{
  g_return_if_fail (RF_IS_IMAGE_CACHE (self));

  while (self->lru.tail != NULL)
    remove_entry (self, self->lru.tail->data);
}
