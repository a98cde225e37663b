/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "ga-account-button.h"
#include "ga-contact-card.h"
#include "ga-credentials.h"
#include "ga-demo-server.h"
#include "ga-http.h"
#include "ga-preferences-window.h"
#include "ga-test-server.h"
#include "ga-window.h"

/* The contact card, the names under the entry, the linked account and Check Account, in the
 * real main window against the loopback GREEN-API. GA_TEST_SCREENSHOT_DIR keeps a PNG of each
 * state; GA_TEST_WIDTH sets the window's width (360 for the narrowest). */

#define WAIT_MS    15000
#define IMAGE_PATH "/pps/v/t61.24694-24/4242_n.jpg"
#define CHAT_ID    "79001234567@c.us"
#define OWN_CHAT   "79990000000@c.us"
#define GROUP_ID   "120363043968066561@g.us"

typedef struct
{
  GaTestServer  *server;        /* (owned) */
  SoupSession   *session;       /* (owned) */
  GaCredentials *credentials;   /* (owned) */
  GSettings     *settings;      /* (owned) */
  GaWindow      *window;        /* (unowned) (nullable) */
} Fixture;

static const char contacts_json[] =
  "[{\"id\":\"" CHAT_ID "\",\"name\":\"Anna K.\",\"contactName\":\"Anna Karenina\","
  "\"type\":\"user\"},"
  "{\"id\":\"79001110000@c.us\",\"name\":\"Ánnabel\",\"type\":\"user\"},"
  "{\"id\":\"79002220000@c.us\",\"name\":\"<b>Bold</b> & Co\",\"type\":\"user\"},"
  "{\"id\":\"" GROUP_ID "\",\"name\":\"Book Club\",\"type\":\"group\"}]";

static GObject *
child_of (GtkWidget  *widget,
          GType       type,
          const char *name)
{
  GObject *object = gtk_widget_get_template_child (widget, type, name);

  g_assert_nonnull (object);
  return object;
}

static GtkWidget *
child (Fixture    *fixture,
       const char *name)
{
  return GTK_WIDGET (child_of (GTK_WIDGET (fixture->window), GA_TYPE_WINDOW, name));
}

static GaContactCard *
card (Fixture *fixture)
{
  return GA_CONTACT_CARD (child (fixture, "contact_card"));
}

static GtkWidget *
card_child (Fixture    *fixture,
            const char *name)
{
  return GTK_WIDGET (child_of (GTK_WIDGET (card (fixture)), GA_TYPE_CONTACT_CARD, name));
}

static gboolean
showing (GtkWidget *widget)
{
  return gtk_widget_get_mapped (widget);
}

/* Spins until @check is TRUE or the time is up; the caller asserts. */
static void
spin_until (gboolean (*check) (Fixture *fixture),
            Fixture   *fixture)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;

  while (!check (fixture) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  /* And the frame that shows it. */
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
}

static gboolean
idle_and_card_done (Fixture *fixture)
{
  GaContactCardState state = ga_contact_card_get_state (card (fixture));

  return !ga_window_get_busy (fixture->window) && state != GA_CONTACT_CARD_STATE_LOADING &&
         !ga_contact_card_get_busy (card (fixture));
}

static gboolean
account_done (Fixture *fixture)
{
  GaAccountButton *button = GA_ACCOUNT_BUTTON (child (fixture, "account_button"));
  GaAccountButtonState state = ga_account_button_get_state (button);

  return state != GA_ACCOUNT_BUTTON_STATE_LOADING && state != GA_ACCOUNT_BUTTON_STATE_NONE &&
         (state != GA_ACCOUNT_BUTTON_STATE_LINKED || ga_account_button_get_has_picture (button));
}

static void
save_screenshot (Fixture    *fixture,
                 const char *name)
{
  const char *dir = g_getenv ("GA_TEST_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *filename = NULL;
  g_autofree char *path = NULL;
  GtkWidget *widget = GTK_WIDGET (fixture->window);
  GtkSnapshot *snapshot;
  int width;
  int height;

  if (dir == NULL)
    return;

  /* Wrapped labels settle their height a frame later. */
  gtk_test_widget_wait_for_draw (widget);
  gtk_test_widget_wait_for_draw (widget);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));

  filename = g_strdup_printf ("%s-%s-%d.png", name,
                              g_strcmp0 (g_getenv ("LANGUAGE"), "ru") == 0 ? "ru" : "en",
                              width);
  path = g_build_filename (dir, filename, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

/* Saves what a popover or dialog shows: they are surfaces of their own. */
static void
save_widget_screenshot (GtkWidget  *widget,
                        const char *name)
{
  const char *dir = g_getenv ("GA_TEST_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *filename = NULL;
  g_autofree char *path = NULL;
  GtkSnapshot *snapshot;
  int width;
  int height;

  if (dir == NULL)
    return;

  /* A popover that has just opened may not be laid out yet. */
  for (guint i = 0; i < 20 && gtk_widget_get_width (widget) <= 0; i++)
    gtk_test_widget_wait_for_draw (widget);
  gtk_test_widget_wait_for_draw (widget);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  if (width <= 0 || height <= 0)
    return;
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0.98, 0.98, 0.98, 1 },
                             &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));

  filename = g_strdup_printf ("%s-%s.png", name,
                              g_strcmp0 (g_getenv ("LANGUAGE"), "ru") == 0 ? "ru" : "en");
  path = g_build_filename (dir, filename, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

static GBytes *
demo_image (const char *name)
{
  g_autofree char *path = g_strconcat (RESOURCE_PREFIX "/demo/", name, NULL);

  return g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
}

static void
expect_picture (Fixture *fixture)
{
  g_autofree char *json = NULL;
  g_autoptr(GBytes) bytes = demo_image ("personal.jpg");
  GaTestReply *reply;

  json = g_strdup_printf ("{\"urlAvatar\": \"%s" IMAGE_PATH "?oe=7FFFFFFF\", \"available\": true}",
                          ga_test_server_get_url (fixture->server));
  ga_test_server_expect_api (fixture->server, "getAvatar", 200, json);
  reply = ga_test_server_expect (fixture->server, IMAGE_PATH);
  ga_test_reply_set_body_bytes (reply, "image/jpeg", bytes);
}

/* What the window asks after its first frame: the linked account (with its picture) and the
 * names. */
static void
expect_start (Fixture    *fixture,
              const char *wa_settings)
{
  g_autoptr(GBytes) bytes = demo_image ("group.jpg");
  g_autofree char *json = NULL;
  GaTestReply *reply;

  if (wa_settings == NULL)
    {
      json = g_strdup_printf ("{\"avatar\":\"%s/own.jpg\",\"phone\":\"79990000000\","
                              "\"stateInstance\":\"authorized\"}",
                              ga_test_server_get_url (fixture->server));
      reply = ga_test_server_expect (fixture->server, "/own.jpg");
      ga_test_reply_set_body_bytes (reply, "image/jpeg", bytes);
    }
  ga_test_server_expect_api (fixture->server, "getWaSettings", 200,
                             wa_settings != NULL ? wa_settings : json);
  ga_test_server_expect_api (fixture->server, "getContacts", 200, contacts_json);
}

static void
create_window (Fixture *fixture)
{
  const char *width = g_getenv ("GA_TEST_WIDTH");

  fixture->window = g_object_new (GA_TYPE_WINDOW,
                                  "settings", fixture->settings,
                                  "credentials", fixture->credentials,
                                  "session", fixture->session,
                                  NULL);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window),
                               width != NULL ? atoi (width) : 600, 820);
  gtk_window_present (GTK_WINDOW (fixture->window));
  spin_until (account_done, fixture);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (fixture->window)));
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  fixture->server = ga_test_server_new ();
  fixture->session = ga_http_session_new ();
  fixture->settings = g_settings_new (BASE_ID);
  g_settings_reset (fixture->settings, "contact-details");
  g_settings_reset (fixture->settings, "check-account-warned");
  g_settings_reset (fixture->settings, "recent-chats");
  fixture->credentials = ga_credentials_new_for_demo (ga_test_server_get_url (fixture->server),
                                                      GA_TEST_ID_INSTANCE,
                                                      GA_TEST_TOKEN);
  expect_start (fixture, user_data);
  create_window (fixture);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  if (fixture->window != NULL)
    {
      g_autoptr(GaWindow) window = g_object_ref (fixture->window);

      gtk_window_destroy (GTK_WINDOW (fixture->window));
      fixture->window = NULL;
    }

  ga_test_server_assert_done (fixture->server);
  g_clear_object (&fixture->credentials);
  g_clear_object (&fixture->settings);
  g_clear_object (&fixture->session);
  g_clear_pointer (&fixture->server, ga_test_server_free);
}

static void
look_up (Fixture    *fixture,
         const char *text)
{
  ga_window_look_up (fixture->window, text);
  spin_until (idle_and_card_done, fixture);
  g_assert_false (ga_window_get_busy (fixture->window));
}

static const char *
label_text (GtkWidget *widget)
{
  return gtk_label_get_text (GTK_LABEL (widget));
}

/* The text of the card's detail value for @key, or NULL. */
static const char *
detail (Fixture    *fixture,
        const char *key)
{
  GtkWidget *rows = card_child (fixture, "details_grid");

  for (GtkWidget *row = gtk_widget_get_first_child (rows); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *k = gtk_widget_get_first_child (row);
      GtkWidget *v = gtk_widget_get_next_sibling (k);

      if (g_str_equal (label_text (k), key))
        return GTK_IS_LABEL (v) ? label_text (v) : gtk_button_get_label (GTK_BUTTON (v));
    }

  return NULL;
}

static void
test_person (Fixture       *fixture,
             gconstpointer  user_data)
{
  expect_picture (fixture);
  ga_test_server_expect_api (fixture->server, "getContactInfo", 200,
                             "{\"chatId\":\"" CHAT_ID "\",\"name\":\"Anna K.\","
                             "\"contactName\":\"Anna Karenina\",\"isBusiness\":false}");
  look_up (fixture, "+7 900 123-45-67");

  g_assert_cmpint (ga_window_get_state (fixture->window), ==, GA_WINDOW_STATE_PICTURE);
  g_assert_cmpint (ga_contact_card_get_state (card (fixture)), ==, GA_CONTACT_CARD_STATE_PERSON);
  g_assert_cmpstr (label_text (card_child (fixture, "title_label")), ==, "Anna Karenina");
  g_assert_cmpstr (label_text (card_child (fixture, "chat_id_label")), ==, CHAT_ID);
  g_assert_true (gtk_label_get_selectable (GTK_LABEL (card_child (fixture, "chat_id_label"))));
  g_assert_cmpstr (detail (fixture, _("Profile name")), ==, "Anna K.");
  g_assert_false (showing (card_child (fixture, "business_badge")));
  g_assert_false (showing (card_child (fixture, "status_label")));
  g_assert_true (showing (GTK_WIDGET (card (fixture))));
  g_assert_false (showing (child (fixture, "chat_id_label")));
  save_screenshot (fixture, "card-person");

  /* Without names, the number written for people. */
  expect_picture (fixture);
  ga_test_server_expect_api (fixture->server, "getContactInfo", 200,
                             "{\"name\":\"\",\"contactName\":null}");
  look_up (fixture, "79005554433");
  g_assert_cmpstr (label_text (card_child (fixture, "title_label")), ==, "+7 900 555-44-33");
}

static void
test_business (Fixture       *fixture,
               gconstpointer  user_data)
{
  expect_picture (fixture);
  ga_test_server_expect_api (fixture->server, "getContactInfo", 200,
                             "{\"name\":\"Green Leaf Bakery\",\"contactName\":\"\","
                             "\"isBusiness\":true,\"category\":\"Bakery\","
                             "\"description\":\"Sourdough and rye, baked every morning.\","
                             "\"email\":\"hello@greenleaf.example\",\"lastSeen\":\"1700000000\"}");
  look_up (fixture, CHAT_ID);

  g_assert_cmpint (ga_contact_card_get_state (card (fixture)), ==,
                   GA_CONTACT_CARD_STATE_BUSINESS);
  g_assert_cmpstr (label_text (card_child (fixture, "title_label")), ==, "Green Leaf Bakery");
  g_assert_true (showing (card_child (fixture, "business_badge")));
  g_assert_cmpstr (detail (fixture, _("Category")), ==, "Bakery");
  g_assert_cmpstr (detail (fixture, _("E-mail")), ==, "hello@greenleaf.example");
  g_assert_nonnull (detail (fixture, _("Last seen")));
  save_screenshot (fixture, "card-business");
}

static void
test_group (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autoptr(GString) json = g_string_new ("{\"groupId\":\"" GROUP_ID "\",\"owner\":\"" CHAT_ID
                                          "\",\"subject\":\"Book Club\",\"creation\":1700000000,"
                                          "\"participants\":[{\"id\":\"" OWN_CHAT
                                          "\",\"isAdmin\":true}");

  for (guint i = 0; i < 11; i++)
    g_string_append_printf (json, ",{\"id\":\"790000000%02u@c.us\",\"isAdmin\":false}", i);
  g_string_append (json, "]}");

  ga_test_server_expect_api (fixture->server, "getAvatar", 200,
                             "{\"urlAvatar\":\"\",\"available\":true}");
  ga_test_server_expect_api (fixture->server, "getGroupData", 200, json->str);
  look_up (fixture, GROUP_ID);

  g_assert_cmpint (ga_contact_card_get_state (card (fixture)), ==, GA_CONTACT_CARD_STATE_GROUP);
  g_assert_cmpstr (label_text (card_child (fixture, "title_label")), ==, "Book Club");
  g_assert_true (showing (card_child (fixture, "admin_badge")));
  g_assert_nonnull (strstr (detail (fixture, _("Participants")), "12"));
  /* The owner by the name the contact list knows. */
  g_assert_nonnull (strstr (detail (fixture, _("Owner")), "Anna Karenina"));
  /* Said once, by the badge. */
  g_assert_null (detail (fixture, _("Your account")));
  /* Groups are never offered Check Account. */
  g_assert_cmpint (ga_window_get_state (fixture->window), ==, GA_WINDOW_STATE_NOT_SET);
  g_assert_false (showing (card_child (fixture, "check_button")));
  save_screenshot (fixture, "card-group");
}

/* Not an admin: no badge, and a row says whether the account is in the group at all. */
static void
test_group_roles (Fixture       *fixture,
                  gconstpointer  user_data)
{
  const struct
  {
    const char *group_id;
    const char *participants;
    const char *role;
  } cases[] = {
    { GROUP_ID, "[{\"id\":\"" OWN_CHAT "\",\"isAdmin\":false},"
                "{\"id\":\"" CHAT_ID "\",\"isAdmin\":true}]", N_("Member") },
    { "120363000000000001@g.us", "[{\"id\":\"" CHAT_ID "\",\"isSuperAdmin\":true}]",
      N_("Not a member") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"groupId\":\"%s\",\"subject\":\"Choir\","
                                               "\"participants\":%s}",
                                               cases[i].group_id, cases[i].participants);

      ga_test_server_expect_api (fixture->server, "getAvatar", 200,
                                 "{\"urlAvatar\":\"\",\"available\":true}");
      ga_test_server_expect_api (fixture->server, "getGroupData", 200, json);
      look_up (fixture, cases[i].group_id);

      g_assert_cmpint (ga_contact_card_get_state (card (fixture)), ==,
                       GA_CONTACT_CARD_STATE_GROUP);
      g_assert_false (showing (card_child (fixture, "admin_badge")));
      g_assert_cmpstr (detail (fixture, _("Your account")), ==, _(cases[i].role));
    }
}

/* Names are text, never markup; control characters go; a megabyte neither hangs nor grows
 * the window; right-to-left names and emoji come through. */
static void
test_untrusted_names (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GString) json = g_string_new (NULL);
  const char *title;
  int width_before;

  width_before = gtk_widget_get_width (GTK_WIDGET (fixture->window));

  expect_picture (fixture);
  ga_test_server_expect_api (fixture->server, "getContactInfo", 200,
                             "{\"name\":\"<b>Bold</b> &amp; Co\\u0007\\u200b\\n\\tLtd\"}");
  look_up (fixture, CHAT_ID);
  title = label_text (card_child (fixture, "title_label"));
  g_assert_cmpstr (title, ==, "<b>Bold</b> &amp; Co Ltd");
  g_assert_false (gtk_label_get_use_markup (GTK_LABEL (card_child (fixture, "title_label"))));
  save_screenshot (fixture, "card-markup");

  /* A megabyte of description on a business card, and a long name. */
  g_string_append (json, "{\"name\":\"");
  for (guint i = 0; i < 2000; i++)
    g_string_append (json, "Long ");
  g_string_append (json, "\",\"isBusiness\":true,\"description\":\"");
  for (guint i = 0; i < 100000; i++)
    g_string_append (json, "0123456789");
  g_string_append (json, "\"}");
  expect_picture (fixture);
  /* The client takes at most 256 KiB of JSON: a card that big fails, quietly. */
  ga_test_server_expect_api (fixture->server, "getContactInfo", 200, json->str);
  ga_contact_card_set_retry_seconds (card (fixture), 0);
  look_up (fixture, "79001112233");
  g_assert_cmpint (ga_window_get_state (fixture->window), ==, GA_WINDOW_STATE_PICTURE);

  g_string_truncate (json, 0);
  g_string_append (json, "{\"name\":\"");
  for (guint i = 0; i < 2000; i++)
    g_string_append (json, "Long ");
  g_string_append (json, "\",\"isBusiness\":true,\"description\":\"");
  for (guint i = 0; i < 20000; i++)
    g_string_append (json, "0123456789");
  g_string_append (json, "\"}");
  expect_picture (fixture);
  ga_test_server_expect_api (fixture->server, "getContactInfo", 200, json->str);
  look_up (fixture, "79001112244");
  title = label_text (card_child (fixture, "title_label"));
  g_assert_cmpuint (g_utf8_strlen (title, -1), <=, 201);
  g_assert_true (g_str_has_suffix (title, "…"));
  g_assert_cmpuint (g_utf8_strlen (detail (fixture, _("Description")), -1), <=, 2001);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), ==, width_before);
  save_screenshot (fixture, "card-long");

  /* Right to left, with an emoji and its joiner. */
  expect_picture (fixture);
  ga_test_server_expect_api (fixture->server, "getContactInfo", 200,
                             "{\"contactName\":\"\\u0645\\u0631\\u064a\\u0645 \\u0627\\u0644"
                             "\\u062d\\u0633\\u0646 \\ud83d\\udc69\\u200d\\ud83d\\udcbb\"}");
  look_up (fixture, "79001112255");
  g_assert_cmpstr (label_text (card_child (fixture, "title_label")), ==,
                   "\u0645\u0631\u064a\u0645 \u0627\u0644\u062d\u0633\u0646 "
                   "\U0001F469\u200D\U0001F4BB");
  save_screenshot (fixture, "card-rtl");
}

static void
test_failed (Fixture       *fixture,
             gconstpointer  user_data)
{
  ga_contact_card_set_retry_seconds (card (fixture), 1);
  expect_picture (fixture);
  ga_test_server_expect_api (fixture->server, "getContactInfo", 400,
                             "{\"statusCode\":400,\"message\":\"Validation failed\"}");
  look_up (fixture, "79001119999");

  /* The picture is there; the card says so quietly, under the number. */
  g_assert_cmpint (ga_window_get_state (fixture->window), ==, GA_WINDOW_STATE_PICTURE);
  g_assert_cmpint (ga_contact_card_get_state (card (fixture)), ==, GA_CONTACT_CARD_STATE_FAILED);
  g_assert_true (showing (card_child (fixture, "status_label")));
  g_assert_cmpstr (label_text (card_child (fixture, "title_label")), ==, "+7 900 111-99-99");
  save_screenshot (fixture, "card-failed");

  /* And it asks once more, later. */
  ga_test_server_expect_api (fixture->server, "getContactInfo", 200,
                             "{\"name\":\"Anna K.\",\"contactName\":\"Anna Karenina\"}");
  {
    gint64 deadline = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;

    while (ga_contact_card_get_state (card (fixture)) != GA_CONTACT_CARD_STATE_PERSON &&
           g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, TRUE);
  }
  g_assert_cmpint (ga_contact_card_get_state (card (fixture)), ==, GA_CONTACT_CARD_STATE_PERSON);
  g_assert_false (showing (card_child (fixture, "status_label")));
}

static GtkWidget *
find_list_box (GtkWidget *widget)
{
  if (GTK_IS_LIST_BOX (widget))
    return widget;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_list_box (c);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static GtkWidget *
completion_popover (Fixture *fixture)
{
  for (GtkWidget *c = gtk_widget_get_first_child (child (fixture, "entry")); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    if (GTK_IS_POPOVER (c) && find_list_box (c) != NULL)
      return c;

  g_assert_not_reached ();
}

static guint
n_rows (GtkWidget *list_box)
{
  guint n = 0;

  while (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list_box), n) != NULL)
    n++;

  return n;
}

static gboolean
send_key (GtkWidget *widget,
          guint      keyval)
{
  GList *controllers = NULL;
  gboolean handled = FALSE;
  GListModel *model = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (model, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller))
        controllers = g_list_prepend (controllers, g_object_ref (controller));
    }
  g_object_unref (model);

  for (GList *l = controllers; l != NULL && !handled; l = l->next)
    g_signal_emit_by_name (l->data, "key-pressed", keyval, 0, 0, &handled);
  g_list_free_full (controllers, g_object_unref);

  return handled;
}

static void
test_completion (Fixture       *fixture,
                 gconstpointer  user_data)
{
  GtkWidget *entry = child (fixture, "entry");
  GtkWidget *popover = completion_popover (fixture);
  GtkWidget *list_box = find_list_box (popover);

  gtk_widget_grab_focus (entry);

  /* By name, case- and accent-insensitively: "anna" finds Anna Karenina and Ánnabel. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "ANNA");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
  g_assert_true (gtk_widget_get_visible (popover));
  g_assert_cmpuint (n_rows (list_box), ==, 2);
  save_widget_screenshot (popover, "completion");
  save_screenshot (fixture, "completion-window");

  /* By number. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "+7 900 222");
  g_assert_true (gtk_widget_get_visible (popover));
  g_assert_cmpuint (n_rows (list_box), ==, 1);
  /* A name that looks like markup is shown as written. */
  {
    GtkWidget *row = GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list_box), 0));
    g_autofree char *problem = gtk_test_accessible_check_property (GTK_ACCESSIBLE (row),
                                                                   GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                                   "<b>Bold</b> & Co, "
                                                                   "+7 900 222-00-00");
    g_assert_null (problem);
  }

  /* Escape closes; Down opens again; Down, Enter picks and looks up. */
  g_assert_true (send_key (entry, GDK_KEY_Escape));
  g_assert_false (gtk_widget_get_visible (popover));
  gtk_editable_set_text (GTK_EDITABLE (entry), "karenina");
  g_assert_true (gtk_widget_get_visible (popover));
  g_assert_cmpuint (n_rows (list_box), ==, 1);
  g_assert_true (send_key (entry, GDK_KEY_Down));
  g_assert_nonnull (gtk_list_box_get_selected_row (GTK_LIST_BOX (list_box)));

  expect_picture (fixture);
  ga_test_server_expect_api (fixture->server, "getContactInfo", 200,
                             "{\"name\":\"Anna K.\",\"contactName\":\"Anna Karenina\"}");
  g_assert_true (send_key (entry, GDK_KEY_Return));
  spin_until (idle_and_card_done, fixture);
  g_assert_false (gtk_widget_get_visible (popover));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, CHAT_ID);
  g_assert_cmpint (ga_window_get_state (fixture->window), ==, GA_WINDOW_STATE_PICTURE);

  /* The recent lookup comes first now, by name. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "anna");
  g_assert_cmpuint (n_rows (list_box), ==, 2);
  {
    GtkWidget *row = GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list_box), 0));
    g_autofree char *problem = gtk_test_accessible_check_property (GTK_ACCESSIBLE (row),
                                                                   GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                                   "Anna Karenina, "
                                                                   "+7 900 123-45-67");
    g_assert_null (problem);
  }
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  g_assert_false (gtk_widget_get_visible (popover));
}

/* The question of ga_alert_present(): an AdwAlertDialog in a window (libadwaita >= 1.5) or an
 * AdwMessageDialog of its own. */
static GObject *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

#if ADW_CHECK_VERSION (1, 5, 0)
      G_GNUC_BEGIN_IGNORE_DEPRECATIONS
      AdwDialog *dialog = NULL;

      if (ADW_IS_APPLICATION_WINDOW (window))
        dialog = adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (window));
      else if (ADW_IS_WINDOW (window))
        dialog = adw_window_get_visible_dialog (ADW_WINDOW (window));
      if (ADW_IS_ALERT_DIALOG (dialog))
        return G_OBJECT (dialog);
      G_GNUC_END_IGNORE_DEPRECATIONS
#else
      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
#endif
    }

  return NULL;
}

static char *
dialog_body (GObject *dialog)
{
  char *body = NULL;

  g_object_get (dialog, "body", &body, NULL);
  return body;
}

/* Answers as a click would, and closes the dialog. */
static void
dialog_respond (GObject    *dialog,
                const char *response)
{
  g_signal_emit_by_name (dialog, "response", response);
#if ADW_CHECK_VERSION (1, 5, 0)
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  adw_dialog_force_close (ADW_DIALOG (dialog));
  G_GNUC_END_IGNORE_DEPRECATIONS
#else
  gtk_window_destroy (GTK_WINDOW (dialog));
#endif
}

static gboolean
check_finished (Fixture *fixture)
{
  return ga_contact_card_get_account_check (card (fixture)) != GA_ACCOUNT_CHECK_RUNNING;
}

static void
look_up_not_set (Fixture    *fixture,
                 const char *chat_id)
{
  ga_test_server_expect_api (fixture->server, "getAvatar", 200,
                             "{\"urlAvatar\":\"\",\"available\":true}");
  ga_test_server_expect_api (fixture->server, "getContactInfo", 200, "{\"name\":\"\"}");
  look_up (fixture, chat_id);
  g_assert_cmpint (ga_window_get_state (fixture->window), ==, GA_WINDOW_STATE_NOT_SET);
}

static void
test_check_account (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autofree char *check_path = ga_test_server_api_path ("checkWhatsapp");
  GObject *dialog;

  look_up_not_set (fixture, CHAT_ID);
  g_assert_true (showing (child (fixture, "not_set_badge")));
  g_assert_true (showing (card_child (fixture, "check_button")));
  g_assert_cmpint (ga_contact_card_get_account_check (card (fixture)), ==, GA_ACCOUNT_CHECK_NONE);
  save_screenshot (fixture, "check-offered");

  /* Before the first check: the warning about the monthly quota. Cancel asks nothing. */
  g_signal_emit_by_name (card_child (fixture, "check_button"), "clicked");
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  {
    g_autofree char *body = dialog_body (dialog);

    g_assert_nonnull (strstr (body, "100"));
  }
  save_widget_screenshot (GTK_WIDGET (dialog), "check-warning");
  dialog_respond (dialog, "cancel");
  g_assert_cmpuint (ga_test_server_get_request_count (fixture->server, check_path), ==, 0);
  g_assert_false (g_settings_get_boolean (fixture->settings, "check-account-warned"));

  /* No account. */
  ga_test_server_expect_api (fixture->server, "checkWhatsapp", 200, "{\"existsWhatsapp\":false}");
  g_signal_emit_by_name (card_child (fixture, "check_button"), "clicked");
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  dialog_respond (dialog, "check");
  g_assert_true (g_settings_get_boolean (fixture->settings, "check-account-warned"));
  spin_until (check_finished, fixture);
  g_assert_cmpint (ga_contact_card_get_account_check (card (fixture)), ==,
                   GA_ACCOUNT_CHECK_NO_ACCOUNT);
  g_assert_nonnull (strstr (ga_test_server_get_last_body (fixture->server, check_path),
                            "79001234567"));
  g_assert_false (showing (child (fixture, "not_set_badge")));
  g_assert_true (showing (card_child (fixture, "check_badge")));
  g_assert_cmpstr (label_text (card_child (fixture, "check_badge_label")), ==,
                   _("No WhatsApp Account"));
  g_assert_false (showing (card_child (fixture, "check_button")));
  save_screenshot (fixture, "check-no-account");

  /* The answer is kept: the same chat again asks nothing. */
  look_up_not_set (fixture, CHAT_ID);
  g_assert_cmpint (ga_contact_card_get_account_check (card (fixture)), ==,
                   GA_ACCOUNT_CHECK_NO_ACCOUNT);
  g_assert_cmpuint (ga_test_server_get_request_count (fixture->server, check_path), ==, 1);

  /* Has WhatsApp: no picture set. Asked once: no second warning. */
  look_up_not_set (fixture, "79005550000@c.us");
  ga_test_server_expect_api (fixture->server, "checkWhatsapp", 200, "{\"existsWhatsapp\":true}");
  g_signal_emit_by_name (card_child (fixture, "check_button"), "clicked");
  g_assert_null (find_message_dialog ());
  spin_until (check_finished, fixture);
  g_assert_cmpint (ga_contact_card_get_account_check (card (fixture)), ==,
                   GA_ACCOUNT_CHECK_NO_PICTURE);
  g_assert_cmpstr (label_text (card_child (fixture, "check_badge_label")), ==,
                   _("No Picture Set"));
  save_screenshot (fixture, "check-no-picture");

  /* The quota is used up: the server's words, and the badge stays inexact. */
  look_up_not_set (fixture, "79005550001@c.us");
  ga_test_server_expect_api (fixture->server, "checkWhatsapp", 466,
                             "{\"invokeStatus\":{\"method\":\"checkwhatsapp\",\"used\":100,"
                             "\"total\":100,\"status\":\"QUOTE_EXCEEDED\",\"description\":"
                             "\"Monthly quota has been exceeded\"}}");
  g_signal_emit_by_name (card_child (fixture, "check_button"), "clicked");
  spin_until (check_finished, fixture);
  g_assert_cmpint (ga_contact_card_get_account_check (card (fixture)), ==,
                   GA_ACCOUNT_CHECK_FAILED);
  g_assert_true (showing (card_child (fixture, "check_label")));
  g_assert_nonnull (strstr (label_text (card_child (fixture, "check_label")),
                            "Monthly quota has been exceeded"));
  g_assert_true (showing (child (fixture, "not_set_badge")));
  g_assert_false (showing (card_child (fixture, "check_button")));
  save_screenshot (fixture, "check-quota");
}

static void
test_account (Fixture       *fixture,
              gconstpointer  user_data)
{
  GaAccountButton *button = GA_ACCOUNT_BUTTON (child (fixture, "account_button"));
  GtkWidget *popover = GTK_WIDGET (child_of (GTK_WIDGET (button), GA_TYPE_ACCOUNT_BUTTON,
                                             "popover"));
  GtkWidget *number = GTK_WIDGET (child_of (GTK_WIDGET (button), GA_TYPE_ACCOUNT_BUTTON,
                                            "number_label"));
  GtkWidget *state = GTK_WIDGET (child_of (GTK_WIDGET (button), GA_TYPE_ACCOUNT_BUTTON,
                                           "state_label"));

  g_assert_true (showing (GTK_WIDGET (button)));
  if (user_data == NULL)
    {
      g_assert_cmpint (ga_account_button_get_state (button), ==, GA_ACCOUNT_BUTTON_STATE_LINKED);
      g_assert_cmpstr (ga_account_button_get_chat_id (button), ==, OWN_CHAT);
      g_assert_true (ga_account_button_get_has_picture (button));
      ga_account_button_popup (button);
      g_assert_cmpstr (label_text (number), ==, "+7 999 000-00-00");
      g_assert_false (gtk_widget_get_visible (state));
      save_widget_screenshot (popover, "account");
      save_screenshot (fixture, "account-window");
    }
  else
    {
      g_assert_cmpint (ga_account_button_get_state (button), ==,
                       GA_ACCOUNT_BUTTON_STATE_NOT_READY);
      g_assert_null (ga_account_button_get_chat_id (button));
      ga_account_button_popup (button);
      g_assert_true (gtk_widget_get_visible (state));
      /* The state's worded advice. */
      g_assert_nonnull (strstr (label_text (state), "QR"));
      save_widget_screenshot (popover, "account-not-authorized");
    }
}

static gboolean
card_settled (Fixture *fixture)
{
  GaContactCard *c = g_object_get_data (G_OBJECT (fixture->session), "card");

  return !ga_contact_card_get_busy (c);
}

/* Cards and check answers are kept beside the pictures: a new run shows them at once. */
static void
test_saved (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autofree char *dir = g_dir_make_tmp ("ga-cards-XXXXXX", NULL);
  g_autofree char *file = g_build_filename (dir, "cards", CHAT_ID ".json", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GaClient) client = ga_credentials_create_client (fixture->credentials,
                                                             fixture->session);
  GaContactCard *first;
  GaContactCard *second;

  ga_contact_card_forget_memory ();
  first = GA_CONTACT_CARD (g_object_ref_sink (ga_contact_card_new ()));
  ga_contact_card_set_client (first, client);
  ga_contact_card_set_cache_directory (first, dir);
  g_object_set_data (G_OBJECT (fixture->session), "card", first);
  ga_test_server_expect_api (fixture->server, "getContactInfo", 200,
                             "{\"name\":\"Green Leaf Bakery\",\"isBusiness\":true,"
                             "\"category\":\"Bakery\"}");
  ga_contact_card_load (first, CHAT_ID);
  spin_until (card_settled, fixture);
  g_assert_cmpint (ga_contact_card_get_state (first), ==, GA_CONTACT_CARD_STATE_BUSINESS);
  g_assert_true (g_file_get_contents (file, &contents, NULL, NULL));
  g_assert_null (strstr (contents, GA_TEST_TOKEN));
  g_object_unref (first);

  /* A new run: nothing in memory. The saved card shows while the request waits. */
  ga_contact_card_forget_memory ();
  second = GA_CONTACT_CARD (g_object_ref_sink (ga_contact_card_new ()));
  ga_contact_card_set_client (second, client);
  ga_contact_card_set_cache_directory (second, dir);
  g_object_set_data (G_OBJECT (fixture->session), "card", second);
  ga_test_reply_set_hang (ga_test_server_expect_api (fixture->server, "getContactInfo", 200,
                                                     "{}"));
  ga_contact_card_load (second, CHAT_ID);
  {
    gint64 deadline = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;

    while (ga_contact_card_get_state (second) != GA_CONTACT_CARD_STATE_BUSINESS &&
           g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, TRUE);
  }
  g_assert_cmpint (ga_contact_card_get_state (second), ==, GA_CONTACT_CARD_STATE_BUSINESS);
  g_assert_cmpstr (ga_contact_card_get_title (second), ==, "Green Leaf Bakery");
  g_assert_true (ga_contact_card_get_busy (second));
  /* The request (paced to one a second) reaches the server, which never answers. */
  {
    g_autofree char *path = ga_test_server_api_path ("getContactInfo");
    gint64 deadline = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;

    while (ga_test_server_get_request_count (fixture->server, path) < 2 &&
           g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, TRUE);
    g_assert_cmpuint (ga_test_server_get_request_count (fixture->server, path), ==, 2);
  }
  ga_contact_card_clear (second);
  g_object_set_data (G_OBJECT (fixture->session), "card", NULL);
  g_object_unref (second);
  ga_test_remove_tree (dir);
}

static gboolean
account_linked (Fixture *fixture)
{
  GaAccountButton *button = GA_ACCOUNT_BUTTON (child (fixture, "account_button"));

  return ga_account_button_get_state (button) == GA_ACCOUNT_BUTTON_STATE_LINKED &&
         ga_account_button_get_has_picture (button);
}

static void
demo_look_up (Fixture    *fixture,
              const char *chat_id)
{
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.look-up-chat", "s", chat_id);
  spin_until (idle_and_card_done, fixture);
}

/* Demo mode shows all of it: names, a business, a group where the account is an admin, an
 * address-book name without a profile name, both Check Account answers, the linked account. */
static void
test_demo (void)
{
  Fixture fixture_ = { 0 };
  Fixture *fixture = &fixture_;
  g_autoptr(GaDemoServer) server = NULL;
  g_autoptr(GError) error = NULL;

  server = ga_demo_server_new (&error);
  g_assert_no_error (error);
  fixture->session = ga_http_session_new ();
  fixture->settings = g_settings_new (BASE_ID);
  g_settings_set_boolean (fixture->settings, "check-account-warned", TRUE);
  fixture->credentials = ga_credentials_new_for_demo (ga_demo_server_get_url (server),
                                                      ga_demo_server_get_id_instance (server),
                                                      ga_demo_server_get_token (server));
  fixture->window = g_object_new (GA_TYPE_WINDOW,
                                  "settings", fixture->settings,
                                  "credentials", fixture->credentials,
                                  "session", fixture->session,
                                  "demo", TRUE,
                                  NULL);
  gtk_window_present (GTK_WINDOW (fixture->window));
  spin_until (account_linked, fixture);
  g_assert_true (account_linked (fixture));
  g_assert_cmpstr (ga_account_button_get_chat_id (GA_ACCOUNT_BUTTON (child (fixture,
                                                                            "account_button"))),
                   ==, "15550100000@c.us");

  demo_look_up (fixture, "15550100001@c.us");
  g_assert_cmpstr (label_text (card_child (fixture, "title_label")), ==, "Anna Karenina");

  demo_look_up (fixture, "15550100007@c.us");
  g_assert_cmpint (ga_contact_card_get_state (card (fixture)), ==,
                   GA_CONTACT_CARD_STATE_BUSINESS);
  g_assert_nonnull (detail (fixture, _("Category")));
  g_assert_nonnull (detail (fixture, _("Description")));
  g_assert_nonnull (detail (fixture, _("E-mail")));
  save_screenshot (fixture, "demo-business");

  demo_look_up (fixture, "120363043968066561@g.us");
  g_assert_cmpint (ga_contact_card_get_state (card (fixture)), ==, GA_CONTACT_CARD_STATE_GROUP);
  g_assert_nonnull (strstr (detail (fixture, _("Participants")), "12"));
  g_assert_true (showing (card_child (fixture, "admin_badge")));
  g_assert_null (detail (fixture, _("Your account")));
  save_screenshot (fixture, "demo-group");

  /* An address-book name, no profile name. */
  demo_look_up (fixture, "15550100002@c.us");
  g_assert_cmpstr (label_text (card_child (fixture, "title_label")), ==, "Mum");
  g_assert_null (detail (fixture, _("Profile name")));

  /* WhatsApp but no picture, and no WhatsApp. */
  demo_look_up (fixture, "15550100003@c.us");
  g_signal_emit_by_name (card_child (fixture, "check_button"), "clicked");
  spin_until (check_finished, fixture);
  g_assert_cmpint (ga_contact_card_get_account_check (card (fixture)), ==,
                   GA_ACCOUNT_CHECK_NO_PICTURE);
  demo_look_up (fixture, "15550100008@c.us");
  g_signal_emit_by_name (card_child (fixture, "check_button"), "clicked");
  spin_until (check_finished, fixture);
  g_assert_cmpint (ga_contact_card_get_account_check (card (fixture)), ==,
                   GA_ACCOUNT_CHECK_NO_ACCOUNT);
  save_screenshot (fixture, "demo-no-account");

  {
    g_autoptr(GaWindow) window = g_object_ref (fixture->window);

    gtk_window_destroy (GTK_WINDOW (fixture->window));
    fixture->window = NULL;
  }
  g_clear_object (&fixture->credentials);
  g_clear_object (&fixture->settings);
  g_clear_object (&fixture->session);
}

static gboolean
preferences_account_known (Fixture *fixture)
{
  GtkWindow *window = g_object_get_data (G_OBJECT (fixture->session), "preferences");
  GaPreferencesPage *page = ga_preferences_window_get_page (window);
  GObject *button = gtk_widget_get_template_child (GTK_WIDGET (page), GA_TYPE_PREFERENCES_PAGE,
                                                   "test_account");

  return ga_account_button_get_chat_id (GA_ACCOUNT_BUTTON (button)) != NULL &&
         ga_account_button_get_has_picture (GA_ACCOUNT_BUTTON (button));
}

/* Test Connection in Preferences names the linked account too. */
static void
test_preferences (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GBytes) bytes = demo_image ("group.jpg");
  g_autofree char *json = NULL;
  GtkWindow *window;
  GaPreferencesPage *page;
  GtkWidget *result;
  GaTestReply *reply;

  window = ga_preferences_window_new (GTK_WINDOW (fixture->window), fixture->credentials,
                                      fixture->session, fixture->settings, NULL);
  g_object_set_data (G_OBJECT (fixture->session), "preferences", window);
  gtk_window_present (window);
  page = ga_preferences_window_get_page (window);

  ga_test_server_expect_api (fixture->server, "getStateInstance", 200,
                             "{\"stateInstance\":\"authorized\"}");
  json = g_strdup_printf ("{\"avatar\":\"%s/own2.jpg\",\"phone\":\"79990000000\","
                          "\"stateInstance\":\"authorized\"}",
                          ga_test_server_get_url (fixture->server));
  ga_test_server_expect_api (fixture->server, "getWaSettings", 200, json);
  reply = ga_test_server_expect (fixture->server, "/own2.jpg");
  ga_test_reply_set_body_bytes (reply, "image/jpeg", bytes);

  g_signal_emit_by_name (gtk_widget_get_template_child (GTK_WIDGET (page),
                                                        GA_TYPE_PREFERENCES_PAGE, "test_button"),
                         "clicked");
  spin_until (preferences_account_known, fixture);
  g_assert_true (preferences_account_known (fixture));

  result = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (page),
                                                      GA_TYPE_PREFERENCES_PAGE, "test_result"));
  g_assert_nonnull (strstr (label_text (result), "+7 999 000-00-00"));
  save_widget_screenshot (GTK_WIDGET (window), "preferences-account");

  g_object_set_data (G_OBJECT (fixture->session), "preferences", NULL);
  gtk_window_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkCssProvider) provider = NULL;
  g_autofree char *home = NULL;

  home = ga_test_make_home ("contacts-ui");
  /* Accessible labels are checked: GTK's test backend keeps them. */
  g_setenv ("GTK_A11Y", "test", TRUE);

  /* The translations as built, for the run with LANGUAGE=ru. */
  {
    g_autofree char *localedir = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "..", "po",
                                                   NULL);

    setlocale (LC_ALL, "");
    bindtextdomain (GETTEXT_PACKAGE, localedir);
    bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
    textdomain (GETTEXT_PACKAGE);
  }

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  /* No crossfades: a page is on screen (mapped) or not. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  /* What AdwApplication would load from the resource base path. */
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, RESOURCE_PREFIX "/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  g_test_add ("/green-avatar/contacts-ui/card/person", Fixture, NULL,
              fixture_setup, test_person, fixture_teardown);
  g_test_add ("/green-avatar/contacts-ui/card/business", Fixture, NULL,
              fixture_setup, test_business, fixture_teardown);
  g_test_add ("/green-avatar/contacts-ui/card/group", Fixture, NULL,
              fixture_setup, test_group, fixture_teardown);
  g_test_add ("/green-avatar/contacts-ui/card/group-roles", Fixture, NULL,
              fixture_setup, test_group_roles, fixture_teardown);
  g_test_add ("/green-avatar/contacts-ui/card/untrusted-names", Fixture, NULL,
              fixture_setup, test_untrusted_names, fixture_teardown);
  g_test_add ("/green-avatar/contacts-ui/card/failed", Fixture, NULL,
              fixture_setup, test_failed, fixture_teardown);
  g_test_add ("/green-avatar/contacts-ui/completion", Fixture, NULL,
              fixture_setup, test_completion, fixture_teardown);
  g_test_add ("/green-avatar/contacts-ui/check-account", Fixture, NULL,
              fixture_setup, test_check_account, fixture_teardown);
  g_test_add ("/green-avatar/contacts-ui/account/linked", Fixture, NULL,
              fixture_setup, test_account, fixture_teardown);
  g_test_add ("/green-avatar/contacts-ui/account/not-authorized", Fixture,
              "{\"avatar\":\"\",\"phone\":\"\",\"stateInstance\":\"notAuthorized\"}",
              fixture_setup, test_account, fixture_teardown);

  g_test_add ("/green-avatar/contacts-ui/preferences", Fixture, NULL,
              fixture_setup, test_preferences, fixture_teardown);
  g_test_add ("/green-avatar/contacts-ui/card/saved", Fixture, NULL,
              fixture_setup, test_saved, fixture_teardown);
  g_test_add_func ("/green-avatar/contacts-ui/demo", test_demo);

  return g_test_run ();
}
