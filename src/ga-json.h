/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Defensive readers of untrusted JSON, for the answer parsers beside ga-response.c. */

/* The longest string kept from an answer, in bytes; longer ones are cut at a character. */
#define GA_JSON_MAX_STRING (64 * 1024)

JsonNode   *ga_json_parse_untrusted (const char    *data,
                                     gsize          length,
                                     JsonNodeType   root_type,
                                     gsize          max_size,
                                     GError       **error);
char       *ga_json_dup_string      (JsonObject    *object,
                                     const char    *name);
char       *ga_json_dup_node_string (JsonNode      *node);
gboolean    ga_json_get_boolean     (JsonObject    *object,
                                     const char    *name,
                                     gboolean      *value);
gboolean    ga_json_get_integer     (JsonObject    *object,
                                     const char    *name,
                                     gint64        *value);
guint       ga_json_get_status      (JsonObject    *object,
                                     const char    *name);
JsonObject *ga_json_get_object      (JsonObject    *object,
                                     const char    *name);
JsonArray  *ga_json_get_array       (JsonObject    *object,
                                     const char    *name);
void        ga_json_set_malformed   (GError       **error);
char       *ga_json_dup_quota_description (const char *data,
                                           gsize       length);

G_END_DECLS
