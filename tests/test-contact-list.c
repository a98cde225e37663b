/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "ga-contact-list.h"
#include "ga-error.h"

#include "ga-test-server.h"

#include <glib/gstdio.h>
#include <string.h>

#define ANSWER \
  "[{\"id\": \"79001234567@c.us\", \"name\": \"annie\", \"contactName\": \"Anna Karenina\"}," \
  " {\"id\": \"79007654321@c.us\", \"contactName\": \"Marianna\"}," \
  " {\"id\": \"79001110000@c.us\", \"name\": \"Ёлка Élodie\"}," \
  " {\"id\": \"120363043968066561@g.us\", \"name\": \"Book club: Anna's\", \"type\": \"group\"}," \
  " {\"id\": \"11005550000@c.us\"}," \
  " {\"id\": \"79001234567@c.us\", \"name\": \"duplicate\"}]"

typedef struct
{
  gboolean done;
  gboolean ok;
  GError  *error;
  guint    changed;
} Result;

static void
update_cb (GObject      *object,
           GAsyncResult *res,
           gpointer      user_data)
{
  Result *result = user_data;

  result->ok = ga_contact_list_update_finish (GA_CONTACT_LIST (object), res, &result->error);
  result->done = TRUE;
}

static void
load_cb (GObject      *object,
         GAsyncResult *res,
         gpointer      user_data)
{
  Result *result = user_data;

  result->ok = ga_contact_list_load_finish (GA_CONTACT_LIST (object), res, &result->error);
  result->done = TRUE;
}

static void
changed_cb (GaContactList *list,
            gpointer       user_data)
{
  ((Result *) user_data)->changed++;
}

static gboolean
update (GaContactList *list,
        const char    *json,
        GError       **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));
  Result result = { 0, };
  gulong id = g_signal_connect (list, "changed", G_CALLBACK (changed_cb), &result);

  ga_contact_list_update_async (list, bytes, NULL, update_cb, &result);
  ga_test_wait_for (&result.done, 10000);
  g_signal_handler_disconnect (list, id);
  g_assert_cmpuint (result.changed, ==, result.ok ? 1 : 0);
  if (result.error != NULL)
    g_propagate_error (error, result.error);

  return result.ok;
}

static char *
names (GPtrArray *contacts)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < contacts->len; i++)
    {
      GaContact *contact = g_ptr_array_index (contacts, i);
      const char *name = ga_contact_get_display_name (contact);

      g_string_append_printf (text, "%s%s", i ? "|" : "",
                              name != NULL ? name : ga_contact_get_chat_id (contact));
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
complete (GaContactList *list,
          const char    *query,
          guint          max)
{
  g_autoptr(GPtrArray) results = ga_contact_list_complete (list, query, max);

  return names (results);
}

static void
test_normalize (void)
{
  const struct { const char *in, *out; } cases[] = {
    { "Anna  KARENINA", "anna karenina" },
    { "Élodie", "elodie" },
    { "ЁЛКА", "елка" },
    { "  Book club: Anna's ", "book club anna s" },
    { "Straße", "strasse" },
    { "ｆｕｌｌ", "full" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = ga_contact_list_normalize (cases[i].in, -1);

      g_assert_cmpstr (out, ==, cases[i].out);
    }

  {
    g_autofree char *invalid = ga_contact_list_normalize ("a\xff" "b", 3);

    g_assert_true (g_utf8_validate (invalid, -1, NULL));
  }
}

static void
test_complete (void)
{
  g_autoptr(GaContactList) list = ga_contact_list_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL;

  g_assert_true (update (list, ANSWER, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ga_contact_list_get_n_contacts (list), ==, 5);

  /* A name's start first, then a word's start, then anywhere. */
  a = complete (list, "anna", 10);
  g_assert_cmpstr (a, ==, "Anna Karenina|Book club: Anna's|Marianna");
  g_clear_pointer (&a, g_free);
  a = complete (list, "ANNA", 1);
  g_assert_cmpstr (a, ==, "Anna Karenina");
  g_clear_pointer (&a, g_free);
  /* Both names are searched; case and accents do not matter. */
  a = complete (list, "ANNIE", 10);
  g_assert_cmpstr (a, ==, "Anna Karenina");
  g_clear_pointer (&a, g_free);
  a = complete (list, "елка", 10);
  g_assert_cmpstr (a, ==, "Ёлка Élodie");
  g_clear_pointer (&a, g_free);
  a = complete (list, "elo", 10);
  g_assert_cmpstr (a, ==, "Ёлка Élodie");
  g_clear_pointer (&a, g_free);
  /* A number, as typed. */
  a = complete (list, "+7 900 123", 10);
  g_assert_cmpstr (a, ==, "Anna Karenina");
  g_clear_pointer (&a, g_free);
  a = complete (list, "5550", 10);
  g_assert_cmpstr (a, ==, "11005550000@c.us");
  g_clear_pointer (&a, g_free);
  a = complete (list, "7900", 2);
  g_assert_cmpstr (a, ==, "Anna Karenina|Marianna");
  g_clear_pointer (&a, g_free);
  /* Nothing, or nothing to search with. */
  a = complete (list, "zzz", 10);
  g_assert_cmpstr (a, ==, "");
  g_clear_pointer (&a, g_free);
  a = complete (list, " ,. ", 10);
  g_assert_cmpstr (a, ==, "");
  g_clear_pointer (&a, g_free);
  a = complete (list, "anna", 0);
  g_assert_cmpstr (a, ==, "");

  g_assert_cmpstr (ga_contact_get_display_name (ga_contact_list_lookup (list, "79007654321@c.us")),
                   ==, "Marianna");
  /* The first of two entries with one chat ID wins. */
  g_assert_cmpstr (ga_contact_get_name (ga_contact_list_lookup (list, "79001234567@c.us")),
                   ==, "annie");
  g_assert_null (ga_contact_list_lookup (list, "1@c.us"));
}

static void
test_malformed_keeps_list (void)
{
  g_autoptr(GaContactList) list = ga_contact_list_new (NULL, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (update (list, ANSWER, NULL));
  g_assert_false (update (list, "{\"contacts\": []}", &error));
  g_assert_error (error, GA_ERROR, GA_ERROR_MALFORMED_RESPONSE);
  g_assert_cmpuint (ga_contact_list_get_n_contacts (list), ==, 5);
}

static void
test_persist (void)
{
  g_autofree char *home = ga_test_make_home ("contact-list");
  g_autofree char *dir = g_build_filename (home, "cache", "green-avatar", NULL);
  g_autoptr(GaContactList) list = ga_contact_list_new (dir, "1101000001");
  g_autoptr(GaContactList) again = ga_contact_list_new (dir, "1101000001");
  g_autoptr(GaContactList) other = ga_contact_list_new (dir, "2202000002");
  g_autoptr(GaContactList) bad_id = ga_contact_list_new (dir, "../x");
  g_autofree char *path = ga_contact_list_get_path (list);
  g_autofree char *contents = NULL;
  g_autofree char *a = NULL;
  GStatBuf st;
  Result result = { 0, };
  gint64 before = g_get_real_time ();

  g_assert_true (g_str_has_suffix (path, "contacts-1101000001.json"));
  g_assert_null (ga_contact_list_get_path (bad_id));
  g_assert_true (update (list, ANSWER, NULL));
  g_assert_cmpint (ga_contact_list_get_fetched_time (list), >=, before);

  /* Only the user may read it, and it holds no token. */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_null (strstr (contents, GA_TEST_TOKEN));

  ga_contact_list_load_async (again, NULL, load_cb, &result);
  ga_test_wait_for (&result.done, 10000);
  g_assert_no_error (result.error);
  g_assert_true (result.ok);
  g_assert_cmpuint (ga_contact_list_get_n_contacts (again), ==, 5);
  g_assert_cmpint (ga_contact_list_get_fetched_time (again), ==,
                   ga_contact_list_get_fetched_time (list));
  a = complete (again, "anna", 10);
  g_assert_cmpstr (a, ==, "Anna Karenina|Book club: Anna's|Marianna");

  /* Another instance has nothing kept yet. */
  memset (&result, 0, sizeof result);
  ga_contact_list_load_async (other, NULL, load_cb, &result);
  ga_test_wait_for (&result.done, 10000);
  g_assert_error (result.error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_clear_error (&result.error);

  /* A damaged file is refused, and the list stays as it was. */
  g_assert_true (g_file_set_contents (path, "{\"version\": 1, \"contacts\": [", -1, NULL));
  memset (&result, 0, sizeof result);
  ga_contact_list_load_async (again, NULL, load_cb, &result);
  ga_test_wait_for (&result.done, 10000);
  g_assert_nonnull (result.error);
  g_clear_error (&result.error);
  g_assert_cmpuint (ga_contact_list_get_n_contacts (again), ==, 5);

  ga_test_remove_tree (home);
}

static void
test_fetch_policy (void)
{
  g_autoptr(GaContactList) list = ga_contact_list_new (NULL, NULL);
  gint64 fetched;

  /* Never fetched: fetch. */
  g_assert_true (ga_contact_list_should_fetch (list, g_get_real_time ()));
  g_assert_false (ga_contact_list_wants_retry (list));

  /* An empty answer is asked again once, five minutes later. */
  g_assert_true (update (list, "[]", NULL));
  fetched = ga_contact_list_get_fetched_time (list);
  g_assert_true (ga_contact_list_wants_retry (list));
  g_assert_false (ga_contact_list_should_fetch (list, fetched + 10 * G_TIME_SPAN_SECOND));
  g_assert_false (ga_contact_list_should_fetch (list,
                                                fetched + GA_CONTACT_LIST_REFRESH_INTERVAL - 1));
  g_assert_true (ga_contact_list_should_fetch (list, fetched + GA_CONTACT_LIST_REFRESH_INTERVAL));
  g_assert_true (update (list, "[]", NULL));
  g_assert_false (ga_contact_list_wants_retry (list));

  /* A real list resets that. */
  g_assert_true (update (list, ANSWER, NULL));
  g_assert_false (ga_contact_list_wants_retry (list));
  g_assert_true (update (list, "[]", NULL));
  g_assert_true (ga_contact_list_wants_retry (list));

  /* A clock set back does not block fetching forever. */
  fetched = ga_contact_list_get_fetched_time (list);
  g_assert_true (ga_contact_list_should_fetch (list, fetched - G_TIME_SPAN_HOUR));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/green-avatar/contact-list/normalize", test_normalize);
  g_test_add_func ("/green-avatar/contact-list/complete", test_complete);
  g_test_add_func ("/green-avatar/contact-list/malformed-keeps-list", test_malformed_keeps_list);
  g_test_add_func ("/green-avatar/contact-list/persist", test_persist);
  g_test_add_func ("/green-avatar/contact-list/fetch-policy", test_fetch_policy);

  return g_test_run ();
}
