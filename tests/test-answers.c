/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "ga-account.h"
#include "ga-contact-info.h"
#include "ga-contact.h"
#include "ga-error.h"
#include "ga-group-data.h"
#include "ga-json.h"

#include <string.h>

/* The parsers of the answers beside getAvatar: every field absent, null, mistyped or huge. */

static const char * const wrong_values[] = { "null", "5", "1.5", "true", "[]", "{}", "\"\"" };

static GaContactInfo *
contact_info (const char *json)
{
  g_autoptr(GError) error = NULL;
  GaContactInfo *info = ga_contact_info_parse (json, strlen (json), "1@c.us", &error);

  g_assert_no_error (error);
  g_assert_nonnull (info);
  return info;
}

static void
test_contact_info_fields (void)
{
  static const char * const string_fields[] = {
    "name", "contactName", "avatar", "category", "description", "email", "lastSeen",
  };

  /* Absent. */
  {
    g_autoptr(GaContactInfo) info = contact_info ("{}");

    g_assert_cmpstr (ga_contact_info_get_chat_id (info), ==, "1@c.us");
    g_assert_null (ga_contact_info_get_display_name (info));
    g_assert_null (ga_contact_info_get_avatar_url (info));
    g_assert_false (ga_contact_info_get_is_business (info));
    g_assert_cmpint (ga_contact_info_get_message_expiration (info), ==, 0);
    g_assert_cmpuint (g_strv_length ((GStrv) ga_contact_info_get_product_names (info)), ==, 0);
  }

  /* Each string field of each wrong type reads as absent; the others stay. */
  for (guint f = 0; f < G_N_ELEMENTS (string_fields); f++)
    for (guint w = 0; w < G_N_ELEMENTS (wrong_values); w++)
      {
        g_autofree char *json = g_strdup_printf ("{\"%s\": %s, \"email\": \"x@y.z\", "
                                                 "\"isBusiness\": %s, \"products\": %s}",
                                                 string_fields[f], wrong_values[w],
                                                 wrong_values[w], wrong_values[w]);
        g_autoptr(GaContactInfo) info = NULL;

        if (strcmp (string_fields[f], "email") == 0)
          continue;
        info = contact_info (json);
        g_assert_cmpstr (ga_contact_info_get_email (info), ==, "x@y.z");
        g_assert_true (ga_contact_info_get_is_business (info) ==
                       g_str_equal (wrong_values[w], "true"));
        if (strcmp (string_fields[f], "name") == 0 || strcmp (string_fields[f], "contactName") == 0)
          g_assert_null (ga_contact_info_get_display_name (info));
        if (strcmp (string_fields[f], "lastSeen") == 0 && g_str_equal (wrong_values[w], "5"))
          g_assert_cmpstr (ga_contact_info_get_last_seen (info), ==, "5");
        else if (strcmp (string_fields[f], "lastSeen") == 0)
          g_assert_null (ga_contact_info_get_last_seen (info));
      }
}

static void
test_huge_strings (void)
{
  g_autoptr(GString) json = g_string_new ("{\"contactName\": \"");
  g_autoptr(GaContactInfo) info = NULL;
  const char *name;

  /* 100 KiB of two-byte characters, and an escaped NUL before the end of another name. */
  for (guint i = 0; i < 50 * 1024; i++)
    g_string_append (json, "ж");
  g_string_append (json, "\", \"name\": \"Anna\\u0000Evil\"}");

  info = contact_info (json->str);
  name = ga_contact_info_get_contact_name (info);
  g_assert_cmpuint (strlen (name), <=, GA_JSON_MAX_STRING);
  g_assert_cmpuint (strlen (name), >, GA_JSON_MAX_STRING - 4);
  g_assert_true (g_utf8_validate (name, -1, NULL));
  g_assert_cmpstr (ga_contact_info_get_name (info), ==, "Anna");
}

static void
test_malformed (void)
{
  const char *bodies[] = { "", "[]", "{", "{}{}", "null", "\"x\"", "{\"a\": 1} x", "\xff{}" };
  g_autoptr(GString) deep = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(GError) e1 = NULL;
      g_autoptr(GError) e2 = NULL;
      g_autoptr(GError) e3 = NULL;
      g_autoptr(GError) e4 = NULL;
      g_autoptr(GaContactInfo) info = ga_contact_info_parse (bodies[i], strlen (bodies[i]),
                                                             NULL, &e1);
      g_autoptr(GaGroupData) group = ga_group_data_parse (bodies[i], strlen (bodies[i]), NULL,
                                                          &e2);
      g_autoptr(GaAccount) account = ga_account_parse_wa_settings (bodies[i], strlen (bodies[i]),
                                                                   &e3);
      gboolean exists = TRUE;

      g_assert_null (info);
      g_assert_null (group);
      g_assert_null (account);
      g_assert_error (e1, GA_ERROR, GA_ERROR_MALFORMED_RESPONSE);
      g_assert_error (e2, GA_ERROR, GA_ERROR_MALFORMED_RESPONSE);
      g_assert_error (e3, GA_ERROR, GA_ERROR_MALFORMED_RESPONSE);
      g_assert_false (ga_contact_parse_check_whatsapp (bodies[i], strlen (bodies[i]), &exists,
                                                       &e4));
      g_assert_false (exists);
    }

  /* Nesting deeper than the recursive parser should see. */
  for (guint i = 0; i < 10000; i++)
    g_string_append (deep, "{\"a\":");
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (ga_contact_info_parse (deep->str, deep->len, NULL, &error));
    g_assert_error (error, GA_ERROR, GA_ERROR_MALFORMED_RESPONSE);
  }
}

static void
test_error_in_200 (void)
{
  const char *body = "{\"code\": 403, \"description\": \"Forbidden\"}";
  g_autoptr(GError) e1 = NULL;
  g_autoptr(GError) e2 = NULL;
  g_autoptr(GError) e3 = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GaGroupData) group = NULL;

  g_assert_null (ga_account_parse_settings (body, strlen (body), &e1));
  g_assert_error (e1, GA_ERROR, GA_ERROR_WRONG_INSTANCE);
  list = ga_contact_parse_list (body, strlen (body), &e2);
  g_assert_null (list);
  g_assert_error (e2, GA_ERROR, GA_ERROR_WRONG_INSTANCE);
  /* "code" as a string is not an error status. */
  group = ga_group_data_parse ("{\"code\": \"401\"}", 15, NULL, &e3);
  g_assert_nonnull (group);
}

static void
test_group_data (void)
{
  g_autoptr(GString) json = g_string_new ("{\"subject\": 5, \"creation\": \"1581234048\", "
                                          "\"subjectTime\": 1.5, \"participants\": [");
  g_autoptr(GaGroupData) group = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 12000; i++)
    g_string_append_printf (json, "%s{\"id\": \"%u@c.us\", \"isAdmin\": %s}", i ? "," : "", i,
                            wrong_values[i % G_N_ELEMENTS (wrong_values)]);
  g_string_append (json, "]}");

  group = ga_group_data_parse (json->str, json->len, "g@g.us", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ga_group_data_get_group_id (group), ==, "g@g.us");
  g_assert_null (ga_group_data_get_subject (group));
  g_assert_cmpint (ga_group_data_get_creation (group), ==, 1581234048);
  g_assert_cmpint (ga_group_data_get_subject_time (group), ==, 0);
  /* Capped. */
  g_assert_cmpuint (ga_group_data_get_n_participants (group), ==, 10000);
}

static void
test_account (void)
{
  const char *bodies[] = {
    "{\"phone\": 79001234567, \"stateInstance\": \"notAuthorized\"}",
    "{\"phone\": \"\", \"avatar\": null, \"stateInstance\": 5, \"chatId\": [\"x\"]}",
    "{\"phone\": \"7900 bad\"}",
  };
  g_autoptr(GaAccount) a = ga_account_parse_wa_settings (bodies[0], strlen (bodies[0]), NULL);
  g_autoptr(GaAccount) b = ga_account_parse_wa_settings (bodies[1], strlen (bodies[1]), NULL);
  g_autoptr(GaAccount) c = ga_account_parse_wa_settings (bodies[2], strlen (bodies[2]), NULL);
  g_autoptr(GaAccount) d = ga_account_parse_settings ("{\"wid\": null}", 13, NULL);

  g_assert_cmpstr (ga_account_get_phone (a), ==, "79001234567");
  g_assert_cmpstr (ga_account_get_chat_id (a), ==, "79001234567@c.us");
  g_assert_cmpint (ga_account_get_state (a), ==, GA_INSTANCE_STATE_NOT_AUTHORIZED);
  g_assert_null (ga_account_get_phone (b));
  g_assert_null (ga_account_get_chat_id (b));
  g_assert_cmpint (ga_account_get_state (b), ==, GA_INSTANCE_STATE_UNKNOWN);
  g_assert_cmpstr (ga_account_get_phone (c), ==, "7900 bad");
  g_assert_null (ga_account_get_chat_id (c));
  g_assert_nonnull (d);
  g_assert_null (ga_account_get_chat_id (d));
}

static void
test_contacts (void)
{
  const char *json = "[{\"id\": \"1@c.us\", \"name\": \"A\", \"type\": \"user\"}, 5, null, "
                     "{\"id\": 5}, {\"id\": \"\"}, {\"id\": \"has space@c.us\"}, "
                     "{\"id\": \"2@g.us\", \"contactName\": [1], \"type\": 7}, "
                     "{\"id\": \"3@lid\", \"type\": \"broadcast\"}]";
  g_autoptr(GPtrArray) list = ga_contact_parse_list (json, strlen (json), NULL);
  g_autoptr(GString) many = g_string_new ("[");
  g_autoptr(GPtrArray) capped = NULL;

  g_assert_cmpuint (list->len, ==, 3);
  g_assert_cmpstr (ga_contact_get_display_name (g_ptr_array_index (list, 0)), ==, "A");
  g_assert_cmpint (ga_contact_get_contact_type (g_ptr_array_index (list, 0)), ==,
                   GA_CONTACT_TYPE_USER);
  g_assert_null (ga_contact_get_display_name (g_ptr_array_index (list, 1)));
  g_assert_cmpint (ga_contact_get_contact_type (g_ptr_array_index (list, 1)), ==,
                   GA_CONTACT_TYPE_GROUP);
  g_assert_cmpint (ga_contact_get_contact_type (g_ptr_array_index (list, 2)), ==,
                   GA_CONTACT_TYPE_USER);

  for (guint i = 0; i < GA_CONTACT_MAX_ENTRIES + 5; i++)
    g_string_append_printf (many, "%s{\"id\":\"%u@c.us\"}", i ? "," : "", i);
  g_string_append (many, "]");
  capped = ga_contact_parse_list (many->str, many->len, NULL);
  g_assert_cmpuint (capped->len, ==, GA_CONTACT_MAX_ENTRIES);
}

static void
test_quota_description (void)
{
  const char *body = "{\"invokeStatus\": {\"description\": \"Over\\u202e quota\\n\"}}";
  g_autofree char *text = ga_json_dup_quota_description (body, strlen (body));

  g_assert_cmpstr (text, ==, "Over  quota");
  g_assert_null (ga_json_dup_quota_description ("{}", 2));
  g_assert_null (ga_json_dup_quota_description ("quota", 5));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/green-avatar/answers/contact-info/fields", test_contact_info_fields);
  g_test_add_func ("/green-avatar/answers/huge-strings", test_huge_strings);
  g_test_add_func ("/green-avatar/answers/malformed", test_malformed);
  g_test_add_func ("/green-avatar/answers/error-in-200", test_error_in_200);
  g_test_add_func ("/green-avatar/answers/group-data", test_group_data);
  g_test_add_func ("/green-avatar/answers/account", test_account);
  g_test_add_func ("/green-avatar/answers/contacts", test_contacts);
  g_test_add_func ("/green-avatar/answers/quota-description", test_quota_description);

  return g_test_run ();
}
