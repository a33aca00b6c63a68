/* test-review.c: the coordinator's review queue, under Xvfb
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#undef G_DISABLE_ASSERT

#define G_LOG_DOMAIN "test-review"

#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <sqlite3.h>
#include <string.h>

#include "balise-application.h"
#include "balise-dashboard.h"
#include "balise-dashboard-page.h"
#include "balise-freshness-layer.h"
#include "balise-day-chart.h"
#include "balise-history-page.h"
#include "balise-review-window.h"
#include "balise-store-notes.h"
#include "balise-store-review.h"
#include "balise-tag-chooser.h"
#include "balise-tag-editor.h"
#include "balise-test-server.h"
#include "balise-ui-test-sync.h"
#include "balise-ui-test-utils.h"
#include "balise-window.h"

#define WAIT_SECONDS 90

typedef struct
{
  BaliseStore        *store;
  BaliseWindow       *window;
  BaliseReviewWindow *review;
  BaliseReviewPage   *page;
} Fixture;

static BaliseApplication *app;
static char **real_mime_dirs;

static void
spin (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
wait_for (gboolean  (*done) (gpointer data),
          gpointer    data,
          const char *what)
{
  if (!balise_ui_test_wait (done, data, WAIT_SECONDS))
    g_error ("Timed out waiting for %s", what);
}

static BaliseEdit *
add_stop (BaliseStore *store,
          const char  *contributor,
          const char  *name,
          double       lat,
          double       lon)
{
  g_autoptr(GError) error = NULL;
  BaliseEdit *edit = balise_edit_new (BALISE_EDIT_CREATE);

  edit->lat = lat;
  edit->lon = lon;
  edit->new_tags = balise_tags_new ();
  balise_tags_set (edit->new_tags, "highway", "bus_stop");
  balise_tags_set (edit->new_tags, "public_transport", "platform");
  balise_tags_set (edit->new_tags, "name", name);
  edit->contributor = g_strdup (contributor);
  g_assert_true (balise_store_add_edit (store, edit, &error));
  g_assert_no_error (error);

  return edit;
}

static BaliseEdit *
get_edit (BaliseStore *store,
          const char  *uuid)
{
  g_autoptr(GError) error = NULL;
  BaliseEdit *edit = balise_store_get_edit (store, uuid, &error);

  g_assert_no_error (error);
  g_assert_nonnull (edit);

  return edit;
}

static AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (item) && gtk_widget_get_visible (GTK_WIDGET (item)))
        return ADW_MESSAGE_DIALOG (item);
    }

  return NULL;
}

/* The button of @action_name under @widget, as a person finds it. */
static GtkWidget *
find_action_button (GtkWidget  *widget,
                    const char *action_name)
{
  if (GTK_IS_BUTTON (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action_name) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_action_button (child, action_name);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
has_tag_editor (gpointer data)
{
  return balise_ui_test_find_toplevel (BALISE_TYPE_TAG_EDITOR) != NULL;
}

static gboolean
has_tag_chooser (gpointer data)
{
  return balise_ui_test_find_toplevel (BALISE_TYPE_TAG_CHOOSER) != NULL;
}

static gboolean
page_idle (gpointer data)
{
  return !balise_review_page_get_busy (data);
}

static gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

/* Clicks a row's button, as the coordinator would. */
static void
click (Fixture    *fixture,
       const char *uuid,
       const char *name)
{
  BaliseReviewRow *row = balise_review_page_find_row (fixture->page, uuid);
  GtkWidget *button;

  g_assert_nonnull (row);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  spin ();
  button = balise_review_row_get_button (row, name);
  g_assert_nonnull (button);
  /* A button acts once it is on screen: wait for the row to open. */
  wait_for (is_mapped, button, "the button to be shown");
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_true (gtk_widget_activate (button));
}

/* Answers the reason (or comment) dialog that the last click opened. */
static gboolean
has_message_dialog (gpointer data)
{
  return find_message_dialog () != NULL;
}

static void
answer_dialog (const char *text)
{
  AdwMessageDialog *dialog;
  GtkWidget *entry;

  /* A button clicks a moment after it is activated. */
  wait_for (has_message_dialog, NULL, "the dialog to open");
  dialog = find_message_dialog ();
  /* No decision without words for the volunteer. */
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "confirm"));
  entry = adw_message_dialog_get_extra_child (dialog);
  g_assert_true (GTK_IS_ENTRY (entry));
  gtk_editable_set_text (GTK_EDITABLE (entry), "   ");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "confirm"));
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "confirm"));
  adw_message_dialog_response (dialog, "confirm");
  spin ();
}

typedef struct
{
  BaliseStore      *store;
  const char       *uuid;
  BaliseEditStatus  status;
} StatusWait;

static gboolean
status_is (gpointer data)
{
  StatusWait *wait = data;
  g_autoptr(BaliseEdit) edit = balise_store_get_edit (wait->store, wait->uuid, NULL);

  return edit != NULL && edit->status == wait->status;
}

static void
wait_status (Fixture          *fixture,
             const char       *uuid,
             BaliseEditStatus  status)
{
  StatusWait wait = { fixture->store, uuid, status };

  wait_for (status_is, &wait, balise_edit_status_to_string (status));
  wait_for (page_idle, fixture->page, "the page to finish");
}

typedef struct
{
  GtkWidget *widget;
  int        width;
  int        height;
} SizeWait;

static gboolean
has_size (gpointer data)
{
  SizeWait *wait = data;

  return gtk_widget_get_mapped (wait->widget) &&
         gtk_widget_get_width (wait->widget) == wait->width &&
         gtk_widget_get_height (wait->widget) == wait->height;
}

static gboolean
waited_cb (gpointer data)
{
  *(gboolean *)data = TRUE;

  return G_SOURCE_REMOVE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *)data;
}

/* The window as last drawn, with its background, at its size. */
static GdkTexture *
render_window (GtkWidget *window)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  g_autoptr(GskRenderNode) node = NULL;
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  int width = gtk_widget_get_width (window);
  int height = gtk_widget_get_height (window);

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);

  return gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
}

/* With BALISE_SCREENSHOT_DIR set, saves @window at phone and desktop sizes,
 * as NAME-360x720.png and NAME-1280x800.png (run under an X screen larger
 * than 1280×800: the window's shadow takes some room around it). */
static void
save_screenshots (GtkWidget  *window,
                  const char *name)
{
  static const int sizes[][2] = { { 360, 720 }, { 1280, 800 } };
  const char *dir = g_getenv ("BALISE_SCREENSHOT_DIR");

  if (dir == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      SizeWait wait = { window, sizes[i][0], sizes[i][1] };
      g_autoptr(GdkTexture) texture = NULL;
      g_autofree char *file = g_strdup_printf ("%s-%dx%d.png", name, sizes[i][0], sizes[i][1]);
      g_autofree char *path = g_build_filename (dir, file, NULL);
      gboolean waited = FALSE;

      int default_width, default_height;

      /* The default size counts the client-side shadow too: aim past it,
       * again while a window that was just shown settles at its first size. */
      wait_for (is_mapped, window, "the window to be shown");
      for (guint attempt = 0; attempt < 5 && !has_size (&wait); attempt++)
        {
          gtk_window_get_default_size (GTK_WINDOW (window), &default_width, &default_height);
          gtk_window_set_default_size (GTK_WINDOW (window),
                                       sizes[i][0] + default_width - gtk_widget_get_width (window),
                                       sizes[i][1] + default_height - gtk_widget_get_height (window));
          balise_ui_test_wait (has_size, &wait, 3);
        }
      if (!has_size (&wait))
        g_error ("The window is %d×%d, not %d×%d", gtk_widget_get_width (window),
                 gtk_widget_get_height (window), wait.width, wait.height);
      /* Let transitions and the map's tiles settle. */
      g_timeout_add (600, waited_cb, &waited);
      wait_for (is_true, &waited, "the window to settle");

      texture = render_window (window);
      g_assert_nonnull (texture);
      g_assert_true (gdk_texture_save_to_png (texture, path));
      g_test_message ("Saved %s", path);
    }
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  g_content_type_set_mime_dirs ((const char * const *)real_mime_dirs);
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  path = g_build_filename (g_get_user_data_dir (), "review.sqlite", NULL);

  fixture->store = balise_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (balise_store_set_review_before_upload (fixture->store, TRUE, &error));
  g_assert_no_error (error);

  fixture->window = balise_window_new (app, fixture->store);
  g_object_ref_sink (fixture->window);
  gtk_window_present (GTK_WINDOW (fixture->window));
  spin ();
}

static void
open_review (Fixture *fixture)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.review", NULL));
  fixture->review = balise_ui_test_find_toplevel (BALISE_TYPE_REVIEW_WINDOW);
  g_assert_nonnull (fixture->review);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (fixture->review)) == GTK_WINDOW (fixture->window));
  fixture->page = balise_review_window_get_review_page (fixture->review);
  g_assert_nonnull (fixture->page);
  spin ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  AdwMessageDialog *dialog;
  GtkWindow *other;

  while ((dialog = find_message_dialog ()))
    gtk_window_destroy (GTK_WINDOW (dialog));
  while ((other = balise_ui_test_find_toplevel (BALISE_TYPE_TAG_EDITOR)))
    gtk_window_destroy (other);
  while ((other = balise_ui_test_find_toplevel (BALISE_TYPE_TAG_CHOOSER)))
    gtk_window_destroy (other);
  if (fixture->review != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->review));
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  spin ();

  g_clear_object (&fixture->window);
  g_clear_object (&fixture->store);
}

static gboolean
not_syncing (gpointer data)
{
  return !balise_window_get_syncing (data);
}

/* Two approved and one rejected in the queue, by its buttons; one left
 * pending. Sync then sends exactly the two approved to the server, and the
 * rejected one keeps its reason in the journal. */
static void
test_approve_reject_sync (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.balise.Balise");
  g_autoptr(BaliseTestServer) server = balise_test_server_new (NULL, "coordinator-token");
  g_autoptr(BaliseEdit) a1 = add_stop (fixture->store, "Alice", "Gare", 43.7384, 7.4246);
  g_autoptr(BaliseEdit) a2 = add_stop (fixture->store, "Alice", "Gare bis", 43.7390, 7.4250);
  g_autoptr(BaliseEdit) a3 = add_stop (fixture->store, "Alice", "Casino", 43.7395, 7.4260);
  g_autoptr(BaliseEdit) b1 = add_stop (fixture->store, "Bob", "Port", 43.7350, 7.4210);
  g_autoptr(BaliseEdit) rejected = NULL;
  g_autoptr(BaliseEdit) left = NULL;
  g_autoptr(BaliseEdit) uploaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *too_long = NULL;
  BaliseUploadDialog *composer;
  GtkEditable *field;
  GtkWidget *upload;
  GtkWidget *badge;

  g_settings_set_string (settings, "contributor-name", "Claire");
  open_review (fixture);
  g_assert_cmpuint (balise_review_page_get_n_rows (fixture->page), ==, 4);

  /* The badge on the main window's button counts what waits for review. */
  badge = gtk_widget_get_last_child (gtk_widget_get_parent (find_action_button (GTK_WIDGET (fixture->window),
                                                                                 "win.review")));
  g_assert_true (GTK_IS_LABEL (badge));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (badge)), ==, "4");

  save_screenshots (GTK_WIDGET (fixture->review), "queue");

  click (fixture, a1->uuid, "approve");
  wait_status (fixture, a1->uuid, BALISE_EDIT_STATUS_APPROVED);
  click (fixture, b1->uuid, "approve");
  wait_status (fixture, b1->uuid, BALISE_EDIT_STATUS_APPROVED);

  click (fixture, a2->uuid, "reject");
  answer_dialog ("Already mapped as Gare");
  wait_status (fixture, a2->uuid, BALISE_EDIT_STATUS_REJECTED);
  g_assert_cmpstr (balise_review_page_get_message (fixture->page), ==, "1 change rejected");

  /* The queue shows what is left to review; the badge follows. */
  spin ();
  g_assert_cmpuint (balise_review_page_get_n_rows (fixture->page), ==, 1);
  g_assert_nonnull (balise_review_page_find_row (fixture->page, a3->uuid));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (badge)), ==, "1");

  rejected = get_edit (fixture->store, a2->uuid);
  g_assert_cmpstr (rejected->review_comment, ==, "Already mapped as Gare");
  g_assert_cmpstr (rejected->reviewer, ==, "Claire");

  g_assert_true (balise_test_server_start (server, 0, &error));
  g_assert_no_error (error);
  g_settings_set_string (settings, "server-url", balise_test_server_get_url (server));
  g_settings_set_string (settings, "hashtags", "#balise monaco-stops");
  g_setenv ("BALISE_TOKEN", "coordinator-token", TRUE);

  /* Sync opens the composer: what goes, the comment offered, hashtags and
   * credits. */
  composer = balise_ui_test_open_composer (fixture->window);
  g_assert_nonnull (composer);
  g_assert_cmpstr (balise_upload_dialog_get_changes_text (composer), ==, "2 bus stops added");
  field = balise_upload_dialog_get_comment_field (composer);
  g_assert_cmpstr (gtk_editable_get_text (field), ==, "2 bus stops added");
  g_assert_cmpstr (balise_upload_dialog_get_comment (composer), ==,
                   "2 bus stops added #balise #monaco-stops");
  g_assert_true (balise_upload_dialog_get_credit (composer));
  upload = find_action_button (GTK_WIDGET (composer), "upload.send");
  g_assert_nonnull (upload);
  g_assert_true (gtk_widget_is_sensitive (upload));
  save_screenshots (GTK_WIDGET (composer), "composer");

  /* A comment is required, and OSM takes 255 characters with the hashtags. */
  gtk_editable_set_text (field, "  ");
  spin ();
  g_assert_false (gtk_widget_is_sensitive (upload));
  g_assert_nonnull (balise_upload_dialog_get_problem (composer));
  too_long = g_strnfill (240, 'a');
  gtk_editable_set_text (field, too_long);
  spin ();
  g_assert_false (gtk_widget_is_sensitive (upload));
  g_assert_nonnull (strstr (balise_upload_dialog_get_problem (composer), "262 characters"));
  save_screenshots (GTK_WIDGET (composer), "composer-too-long");
  gtk_editable_set_text (field, "Two bus stops of Monaco surveyed");
  spin ();
  g_assert_null (balise_upload_dialog_get_problem (composer));
  g_assert_true (gtk_widget_is_sensitive (upload));

  balise_ui_test_press_upload (composer);
  wait_for (not_syncing, fixture->window, "the sync to finish");

  /* One changeset, with the typed comment, the hashtags and the credits. */
  g_assert_cmpint (balise_test_server_query_int (server, "SELECT count(*) FROM changeset"), ==, 1);
  g_assert_cmpint (balise_test_server_query_int (server,
                     "SELECT count(*) FROM changeset_tag WHERE k = 'comment' AND "
                     "v = 'Two bus stops of Monaco surveyed #balise #monaco-stops'"), ==, 1);
  g_assert_cmpint (balise_test_server_query_int (server,
                     "SELECT count(*) FROM changeset_tag WHERE k = 'hashtags' AND "
                     "v = '#balise;#monaco-stops'"), ==, 1);
  g_assert_cmpint (balise_test_server_query_int (server,
                     "SELECT count(*) FROM changeset_tag WHERE k = 'balise:contributors' AND "
                     "v = 'Alice;Bob'"), ==, 1);
  g_assert_cmpint (balise_test_server_query_int (server,
                     "SELECT count(*) FROM changeset_tag WHERE k = 'source' AND v = 'survey'"), ==, 1);

  /* Exactly the two approved arrived. */
  g_assert_cmpint (balise_test_server_query_int (server,
                     "SELECT count(*) FROM history"), ==, 2);
  g_clear_pointer (&rejected, balise_edit_unref);
  rejected = get_edit (fixture->store, a2->uuid);
  g_assert_cmpint (rejected->status, ==, BALISE_EDIT_STATUS_REJECTED);
  g_assert_cmpstr (rejected->review_comment, ==, "Already mapped as Gare");
  left = get_edit (fixture->store, a3->uuid);
  g_assert_cmpint (left->status, ==, BALISE_EDIT_STATUS_PENDING);
  uploaded = get_edit (fixture->store, a1->uuid);
  g_assert_cmpint (uploaded->status, ==, BALISE_EDIT_STATUS_UPLOADED);

  g_unsetenv ("BALISE_TOKEN");
  g_settings_reset (settings, "server-url");
  g_settings_reset (settings, "hashtags");
  g_settings_reset (settings, "contributor-name");
}

static void
select_row (Fixture    *fixture,
            const char *uuid)
{
  BaliseReviewRow *row = balise_review_page_find_row (fixture->page, uuid);

  g_assert_nonnull (row);
  balise_review_row_set_selected (row, TRUE);
}

/* Several at once: the selection's own buttons, and the comment goes to
 * each edit. */
static void
test_bulk_has_issues (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(BaliseEdit) a1 = add_stop (fixture->store, "Alice", "Gare", 43.7384, 7.4246);
  g_autoptr(BaliseEdit) a2 = add_stop (fixture->store, "Alice", "Gare bis", 43.7390, 7.4250);
  g_autoptr(BaliseEdit) b1 = add_stop (fixture->store, "Bob", "Port", 43.7350, 7.4210);
  g_autoptr(BaliseEdit) sent_back = NULL;
  g_autoptr(BaliseEdit) untouched = NULL;

  open_review (fixture);
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (fixture->page),
                                              "review.has-issues-selected", NULL) &&
                  find_message_dialog () != NULL);

  select_row (fixture, a1->uuid);
  select_row (fixture, b1->uuid);
  spin ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page),
                                             "review.has-issues-selected", NULL));
  answer_dialog ("The photo is missing");
  wait_status (fixture, a1->uuid, BALISE_EDIT_STATUS_HAS_ISSUES);
  wait_status (fixture, b1->uuid, BALISE_EDIT_STATUS_HAS_ISSUES);

  sent_back = get_edit (fixture->store, b1->uuid);
  g_assert_cmpstr (sent_back->review_comment, ==, "The photo is missing");
  untouched = get_edit (fixture->store, a2->uuid);
  g_assert_cmpint (untouched->status, ==, BALISE_EDIT_STATUS_PENDING);

  /* Sent back edits stay in the queue, marked, until they are fixed. */
  spin ();
  g_assert_nonnull (balise_review_page_find_row (fixture->page, b1->uuid));
}

/* The diff of a change, readable without colour: a sign on each line. */
static void
test_tag_diff (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(BaliseEdit) a1 = add_stop (fixture->store, "Alice", "Gare", 43.7384, 7.4246);
  BaliseReviewRow *row;
  GPtrArray *labels;
  GString *all = g_string_new (NULL);
  g_autofree char *text = NULL;

  open_review (fixture);
  row = balise_review_page_find_row (fixture->page, a1->uuid);
  g_assert_nonnull (row);
  labels = balise_review_row_get_diff_labels (row);
  g_assert_cmpuint (labels->len, ==, 3);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);

      g_assert_true (gtk_widget_has_css_class (label, "diff-added"));
      g_string_append_printf (all, "%s\n", gtk_label_get_text (GTK_LABEL (label)));
    }
  text = g_string_free (all, FALSE);
  g_assert_cmpstr (text, ==,
                   "+ highway = bus_stop\n"
                   "+ name = Gare\n"
                   "+ public_transport = platform\n");

  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  save_screenshots (GTK_WIDGET (fixture->review), "tag-diff");
}

/* The text of every label under @widget, one a line. */
static void
collect_text (GtkWidget *widget,
              GString   *text)
{
  if (GTK_IS_LABEL (widget))
    g_string_append_printf (text, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_text (child, text);
}

typedef struct
{
  Fixture    *fixture;
  const char *uuid;
  const char *needle;
} TextWait;

static gboolean
row_shows (gpointer data)
{
  TextWait *wait = data;
  BaliseReviewRow *row = balise_review_page_find_row (wait->fixture->page, wait->uuid);
  g_autoptr(GString) text = g_string_new (NULL);

  if (row == NULL)
    return FALSE;
  collect_text (GTK_WIDGET (row), text);

  return strstr (text->str, wait->needle) != NULL;
}

/* The reviewer fixes the tags: a new edit, approved, credited to the
 * volunteer and to the reviewer; a wrong line is refused with its number. */
static void
test_edit_tags (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.balise.Balise");
  g_autoptr(BaliseEdit) a1 = add_stop (fixture->store, "Alice", "Gare", 43.7384, 7.4246);
  g_autoptr(GPtrArray) edits = NULL;
  g_autoptr(GError) error = NULL;
  BaliseTagEditor *editor;
  BaliseEdit *changed = NULL;

  g_settings_set_string (settings, "contributor-name", "Claire");
  open_review (fixture);
  click (fixture, a1->uuid, "edit");
  wait_for (has_tag_editor, NULL, "the tag editor");
  editor = balise_ui_test_find_toplevel (BALISE_TYPE_TAG_EDITOR);

  balise_tag_editor_set_text (editor, "highway=bus_stop\nname Gare\n");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "tag-editor.save", NULL));
  g_assert_true (balise_ui_test_find_toplevel (BALISE_TYPE_TAG_EDITOR) == (gpointer) editor);
  {
    g_autoptr(GString) text = g_string_new (NULL);

    collect_text (GTK_WIDGET (editor), text);
    g_assert_nonnull (strstr (text->str, "Line 2 is not key=value"));
  }

  balise_tag_editor_set_text (editor, "highway=bus_stop\npublic_transport=platform\nname=Gare SNCF\nshelter=yes\n");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "tag-editor.save", NULL));
  spin ();
  g_assert_null (balise_ui_test_find_toplevel (BALISE_TYPE_TAG_EDITOR));

  edits = balise_store_list_edits (fixture->store, BALISE_EDIT_STATUS_MASK (BALISE_EDIT_STATUS_APPROVED), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (edits->len, ==, 1);
  changed = g_ptr_array_index (edits, 0);
  g_assert_cmpstr (changed->contributor, ==, "Alice");
  g_assert_cmpstr (changed->edited_by, ==, "Claire");
  g_assert_cmpstr (balise_tags_lookup (changed->new_tags, "name"), ==, "Gare SNCF");
  g_assert_cmpstr (balise_tags_lookup (changed->new_tags, "shelter"), ==, "yes");

  /* Approved: it left the queue of what is to review. */
  wait_for (page_idle, fixture->page, "the page to finish");
  spin ();
  g_assert_cmpuint (balise_review_page_get_n_rows (fixture->page), ==, 0);

  g_settings_reset (settings, "contributor-name");
}

/* Another mapper's change on the server, through the API as any client. */
static void
other_mapper_renames (BaliseTestServer *server,
                      gint64            id,
                      const char       *name)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  const char *url = balise_test_server_get_url (server);
  g_autofree char *create_url = g_strconcat (url, "api/0.6/changeset/create", NULL);
  g_autoptr(SoupMessage) create = soup_message_new ("PUT", create_url);
  g_autoptr(SoupMessage) upload = NULL;
  g_autoptr(SoupMessage) close = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) diff = NULL;
  g_autoptr(GBytes) closed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cs = NULL;
  g_autofree char *change = NULL;
  g_autofree char *upload_url = NULL;
  g_autofree char *close_url = NULL;
  const char *changeset = "<osm><changeset><tag k=\"comment\" v=\"Other mapper\"/></changeset></osm>";

  soup_message_headers_replace (soup_message_get_request_headers (create), "Authorization",
                                "Bearer other-mapper-token");
  body = g_bytes_new_static (changeset, strlen (changeset));
  soup_message_set_request_body_from_bytes (create, "text/xml", body);
  answer = soup_session_send_and_read (session, create, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (create), ==, 200);
  cs = g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));

  change = g_strdup_printf ("<osmChange version=\"0.6\"><modify><node id=\"%" G_GINT64_FORMAT "\" "
                            "changeset=\"%s\" version=\"1\" lat=\"43.7384\" lon=\"7.4246\">"
                            "<tag k=\"highway\" v=\"bus_stop\"/><tag k=\"public_transport\" v=\"platform\"/>"
                            "<tag k=\"name\" v=\"%s\"/></node></modify></osmChange>", id, cs, name);
  upload_url = g_strdup_printf ("%sapi/0.6/changeset/%s/upload", url, cs);
  upload = soup_message_new ("POST", upload_url);
  soup_message_headers_replace (soup_message_get_request_headers (upload), "Authorization",
                                "Bearer other-mapper-token");
  g_clear_pointer (&body, g_bytes_unref);
  body = g_bytes_new (change, strlen (change));
  soup_message_set_request_body_from_bytes (upload, "text/xml", body);
  diff = soup_session_send_and_read (session, upload, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (upload), ==, 200);

  close_url = g_strdup_printf ("%sapi/0.6/changeset/%s/close", url, cs);
  close = soup_message_new ("PUT", close_url);
  soup_message_headers_replace (soup_message_get_request_headers (close), "Authorization",
                                "Bearer other-mapper-token");
  closed = soup_session_send_and_read (session, close, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (close), ==, 200);
}

static void
sync_now (Fixture *fixture)
{
  balise_ui_test_start_sync (fixture->window, NULL);
  wait_for (not_syncing, fixture->window, "the sync to finish");
}

/* A change to an element already on the server: compared on demand with
 * the server's current version, then, after the sync found the conflict,
 * settled tag by tag in the chooser. */
static void
test_server_and_conflict (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.balise.Balise");
  g_autoptr(BaliseTestServer) server = balise_test_server_new (NULL, NULL);
  g_autoptr(BaliseEdit) created = add_stop (fixture->store, "Alice", "Casino", 43.7384, 7.4246);
  g_autoptr(BaliseEdit) uploaded = NULL;
  g_autoptr(BaliseEdit) ours = balise_edit_new (BALISE_EDIT_MODIFY);
  g_autoptr(BaliseEdit) settled = NULL;
  g_autoptr(GPtrArray) approved = NULL;
  g_autoptr(GError) error = NULL;
  const char *uuids[] = { created->uuid, NULL };
  TextWait compared = { fixture, NULL, "The server now has version 2" };
  TextWait conflict_shown = { fixture, NULL, "Keep Mine" };
  BaliseTagChooser *chooser;
  GtkWidget *mine;
  g_autofree char *sql = NULL;

  g_assert_true (balise_test_server_start (server, 0, &error));
  g_assert_no_error (error);
  g_settings_set_string (settings, "server-url", balise_test_server_get_url (server));
  g_settings_set_string (settings, "contributor-name", "Claire");
  g_setenv ("BALISE_TOKEN", "coordinator-token", TRUE);

  g_assert_true (balise_store_review_edits (fixture->store, uuids, BALISE_REVIEW_APPROVE,
                                            "Claire", NULL, &error));
  g_assert_no_error (error);
  sync_now (fixture);
  uploaded = get_edit (fixture->store, created->uuid);
  g_assert_cmpint (uploaded->new_id, >, 0);

  other_mapper_renames (server, uploaded->new_id, "Place du Casino");

  ours->osm_id = uploaded->new_id;
  ours->base_version = 1;
  ours->base_tags = balise_tags_copy (uploaded->new_tags);
  ours->new_tags = balise_tags_copy (uploaded->new_tags);
  balise_tags_set (ours->new_tags, "name", "Casino Opéra");
  ours->lat = 43.7384;
  ours->lon = 7.4246;
  ours->contributor = g_strdup ("Bob");
  g_assert_true (balise_store_add_edit (fixture->store, ours, &error));
  g_assert_no_error (error);

  open_review (fixture);
  compared.uuid = ours->uuid;
  click (fixture, ours->uuid, "compare");
  wait_for (row_shows, &compared, "the server's version to be shown");
  wait_for (page_idle, fixture->page, "the page to finish");

  click (fixture, ours->uuid, "approve");
  wait_status (fixture, ours->uuid, BALISE_EDIT_STATUS_APPROVED);
  sync_now (fixture);
  wait_status (fixture, ours->uuid, BALISE_EDIT_STATUS_CONFLICT);

  /* The conflict is in the queue, with its own buttons. */
  conflict_shown.uuid = ours->uuid;
  wait_for (row_shows, &conflict_shown, "the conflict in the queue");
  g_assert_null (balise_review_row_get_button (balise_review_page_find_row (fixture->page, ours->uuid),
                                               "approve"));
  click (fixture, ours->uuid, "choose-tags");
  wait_for (has_tag_chooser, NULL, "the tag chooser");
  chooser = balise_ui_test_find_toplevel (BALISE_TYPE_TAG_CHOOSER);
  g_assert_cmpstr (balise_tag_chooser_get_uuid (chooser), ==, ours->uuid);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (balise_tag_chooser_get_choice (chooser, "name", FALSE))));
  mine = balise_tag_chooser_get_choice (chooser, "name", TRUE);
  g_assert_nonnull (mine);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (mine), TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (chooser), "tag-chooser.apply", NULL));
  wait_status (fixture, ours->uuid, BALISE_EDIT_STATUS_REJECTED);

  approved = balise_store_list_edits (fixture->store, BALISE_EDIT_STATUS_MASK (BALISE_EDIT_STATUS_APPROVED), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (approved->len, ==, 1);
  settled = balise_edit_ref (g_ptr_array_index (approved, 0));
  g_assert_cmpint (settled->base_version, ==, 2);
  g_assert_cmpstr (balise_tags_lookup (settled->new_tags, "name"), ==, "Casino Opéra");
  g_assert_cmpstr (settled->edited_by, ==, "Claire");

  sync_now (fixture);
  sql = g_strdup_printf ("SELECT count(*) FROM element WHERE type = 'node' AND id = %" G_GINT64_FORMAT
                         " AND version = 3 AND xml LIKE '%%Casino Opéra%%'", uploaded->new_id);
  g_assert_cmpint (balise_test_server_query_int (server, sql), ==, 1);

  g_unsetenv ("BALISE_TOKEN");
  g_settings_reset (settings, "server-url");
  g_settings_reset (settings, "contributor-name");
}

typedef struct
{
  BaliseDashboardPage *page;
  const char          *section;
  const char          *key;
  gint64               value;
} ShownWait;

static gboolean
shown_is (gpointer data)
{
  ShownWait *wait = data;

  return balise_dashboard_page_get_shown (wait->page, wait->section, wait->key) == wait->value;
}

static void
assert_shown_counts (BaliseDashboardPage *page,
                     const char          *section,
                     GPtrArray           *counts)
{
  for (guint i = 0; i < counts->len; i++)
    {
      BaliseCount *count = g_ptr_array_index (counts, i);

      g_assert_cmpint (balise_dashboard_page_get_shown (page, section, count->name), ==, (gint64) count->count);
    }
}

static BaliseEdit *
add_checked_stop (BaliseStore *store,
                  const char  *name,
                  int          days_ago,
                  double       lat,
                  double       lon)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) then = g_date_time_add_days (now, -days_ago);
  g_autofree char *date = g_date_time_format (then, "%Y-%m-%d");
  BaliseEdit *edit = balise_edit_new (BALISE_EDIT_CREATE);

  edit->lat = lat;
  edit->lon = lon;
  edit->new_tags = balise_tags_new ();
  balise_tags_set (edit->new_tags, "highway", "bus_stop");
  balise_tags_set (edit->new_tags, "name", name);
  balise_tags_set (edit->new_tags, "check_date", date);
  edit->contributor = g_strdup ("Bob");
  g_assert_true (balise_store_add_edit (store, edit, &error));
  g_assert_no_error (error);

  return edit;
}

static gboolean
map_has_stops (gpointer data)
{
  return balise_freshness_layer_get_stops (data) != NULL;
}

typedef struct
{
  BaliseFreshnessLayer *layer;
  guint                 n;
} DrawnWait;

static gboolean
map_drew (gpointer data)
{
  DrawnWait *wait = data;

  return balise_freshness_layer_get_n_drawn (wait->layer) == wait->n;
}

static gboolean
dashboard_loaded (gpointer data)
{
  return !balise_dashboard_page_get_loading (data) &&
         balise_dashboard_page_get_shown (data, "stops", "unknown") >= 0;
}

static void
export_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
has_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

/* The dashboard shows the store's numbers, follows its changes, and exports
 * the same as CSV. The map of bus stops holds each stop in the colour of
 * its last check, and its legend counts what the store counts. */
static void
test_dashboard (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(BaliseEdit) a1 = add_stop (fixture->store, "Alice", "Gare", 43.7384, 7.4246);
  g_autoptr(BaliseEdit) a2 = add_stop (fixture->store, "Alice", "Gare bis", 43.7390, 7.4250);
  g_autoptr(BaliseEdit) b1 = add_stop (fixture->store, "Bob", "Port", 43.7350, 7.4210);
  g_autoptr(BaliseEdit) old = balise_edit_new (BALISE_EDIT_CREATE);
  g_autoptr(BaliseEdit) fresh = add_checked_stop (fixture->store, "Larvotto", 3, 43.7460, 7.4330);
  g_autoptr(BaliseEdit) aging = add_checked_stop (fixture->store, "Moneghetti", 200, 43.7370, 7.4140);
  g_autoptr(BaliseDashboard) dashboard = NULL;
  BaliseFreshnessLayer *layer;
  DrawnWait drawn;
  g_autoptr(GPtrArray) alice = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *csv_path = NULL;
  g_autofree char *exported = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GFile) csv = NULL;
  const char *uuids[] = { a1->uuid, NULL };
  BaliseDashboardPage *page;
  ShownWait approved;
  g_autoptr(GAsyncResult) export_result = NULL;
  guint alice_edits = 0;

  old->lat = 43.7300;
  old->lon = 7.4200;
  old->new_tags = balise_tags_new ();
  balise_tags_set (old->new_tags, "highway", "bus_stop");
  balise_tags_set (old->new_tags, "check_date", "2020-05-01");
  old->contributor = g_strdup ("Bob");
  g_assert_true (balise_store_add_edit (fixture->store, old, &error));
  g_assert_no_error (error);

  open_review (fixture);
  balise_review_window_show_page (fixture->review, "dashboard");
  page = BALISE_DASHBOARD_PAGE (balise_review_window_get_page (fixture->review, "dashboard"));
  g_assert_nonnull (page);
  wait_for (dashboard_loaded, page, "the dashboard to count");

  dashboard = balise_store_get_dashboard (fixture->store, NULL, BALISE_DASHBOARD_RECENT_DAYS, &error);
  g_assert_no_error (error);
  assert_shown_counts (page, "category", dashboard->by_category);
  assert_shown_counts (page, "contributor", dashboard->by_contributor);
  assert_shown_counts (page, "status", dashboard->by_status);
  for (guint i = 0; i <= BALISE_FRESHNESS_UNKNOWN; i++)
    g_assert_cmpint (balise_dashboard_page_get_shown (page, "stops", balise_freshness_to_string (i)),
                     ==, dashboard->stops[i]);
  g_assert_cmpuint (balise_day_chart_get_n_bars (BALISE_DAY_CHART (balise_dashboard_page_get_chart (page))),
                    ==, dashboard->per_day->len);

  /* The same numbers counted another way: from the journal itself. */
  alice = balise_store_list_edits (fixture->store, 0, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < alice->len; i++)
    alice_edits += g_strcmp0 (((BaliseEdit *) g_ptr_array_index (alice, i))->contributor, "Alice") == 0;
  g_assert_cmpuint (alice_edits, ==, 2);
  g_assert_cmpint (balise_dashboard_page_get_shown (page, "contributor", "Alice"), ==, alice_edits);
  g_assert_cmpint (balise_dashboard_page_get_shown (page, "contributor", "Bob"), ==, 4);
  g_assert_cmpint (balise_dashboard_page_get_shown (page, "status", "pending"), ==, 6);
  g_assert_cmpint (balise_dashboard_page_get_shown (page, "stops", "stale"), ==, 1);
  g_assert_cmpint (balise_dashboard_page_get_shown (page, "stops", "recent"), ==, 1);
  g_assert_cmpint (balise_dashboard_page_get_shown (page, "stops", "aging"), ==, 1);
  g_assert_cmpint (balise_dashboard_page_get_shown (page, "stops", "unknown"), ==, 3);

  /* The map holds the same stops as the legend counts, and draws them all. */
  layer = balise_dashboard_page_get_freshness_layer (page);
  g_assert_nonnull (layer);
  wait_for (map_has_stops, layer, "the map's bus stops");
  for (guint i = 0; i <= BALISE_FRESHNESS_UNKNOWN; i++)
    {
      g_assert_cmpuint (balise_freshness_layer_get_count (layer, i), ==, dashboard->stops[i]);
      g_assert_cmpint (balise_dashboard_page_get_shown (page, "stops", balise_freshness_to_string (i)),
                       ==, balise_freshness_layer_get_count (layer, i));
    }
  drawn = (DrawnWait) { layer, 6 };
  wait_for (map_drew, &drawn, "the map to draw the six stops");
  g_assert_cmpint (balise_dashboard_page_get_shown (page, "status", "approved"), ==, -1);

  /* It follows the store. */
  g_assert_true (balise_store_review_edits (fixture->store, uuids, BALISE_REVIEW_APPROVE, "Claire", NULL, &error));
  g_assert_no_error (error);
  approved = (ShownWait) { page, "status", "approved", 1 };
  wait_for (shown_is, &approved, "the dashboard to count the approval");
  g_assert_cmpint (balise_dashboard_page_get_shown (page, "status", "pending"), ==, 5);

  csv_path = g_build_filename (g_get_user_data_dir (), "dashboard.csv", NULL);
  csv = g_file_new_for_path (csv_path);
  balise_dashboard_page_export_csv_async (page, csv, NULL, export_done_cb, &export_result);
  wait_for (has_result, &export_result, "the CSV to be written");
  g_assert_true (balise_dashboard_page_export_csv_finish (page, export_result, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (csv_path, &exported, NULL, &error));
  g_clear_pointer (&dashboard, balise_dashboard_free);
  dashboard = balise_store_get_dashboard (fixture->store, NULL, BALISE_DASHBOARD_RECENT_DAYS, &error);
  expected = balise_dashboard_to_csv (dashboard);
  g_assert_cmpstr (exported, ==, expected);
  g_assert_nonnull (strstr (exported, "contributor,Alice,2"));

  save_screenshots (GTK_WIDGET (fixture->review), "dashboard-light");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  save_screenshots (GTK_WIDGET (fixture->review), "dashboard-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  (void) a2;
  (void) b1;
}

static gboolean
has_composer (gpointer data)
{
  return balise_ui_test_find_upload_dialog () != NULL;
}

typedef struct
{
  BaliseHistoryPage *page;
  const char        *kind;
  guint              n_links;
  const char        *needle;   /* in the first row's subtitle, or NULL */
} HistoryWait;

static gboolean
history_shows (gpointer data)
{
  HistoryWait *wait = data;
  g_auto(GStrv) links = NULL;
  AdwActionRow *row;

  if (balise_history_page_get_busy (wait->page))
    return FALSE;
  links = balise_history_page_get_links (wait->page, wait->kind);
  if (g_strv_length (links) != wait->n_links)
    return FALSE;
  if (wait->needle == NULL)
    return TRUE;
  row = balise_history_page_get_row (wait->page, wait->kind, 0);

  return row != NULL && strstr (adw_action_row_get_subtitle (row), wait->needle) != NULL;
}

/* After a real sync, the history lists the changeset and the note the
 * server made, each with its link to the server; a note closed on the
 * server shows closed after the next sync. */
static void
test_history (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.balise.Balise");
  g_autoptr(BaliseTestServer) server = balise_test_server_new (NULL, NULL);
  g_autoptr(BaliseEdit) a1 = add_stop (fixture->store, "Alice", "Gare", 43.7384, 7.4246);
  g_autoptr(BaliseEdit) b1 = add_stop (fixture->store, "Bob", "Port", 43.7350, 7.4210);
  g_autoptr(BaliseNote) note = balise_note_new (43.7360, 7.4220, "pothole", "Deep pothole by the bakery");
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) close = NULL;
  g_autoptr(GBytes) closed = NULL;
  g_autofree char *changeset_link = NULL;
  g_autofree char *note_link = NULL;
  g_autofree char *close_url = NULL;
  g_autofree char *changeset_text = NULL;
  g_autofree char *note_text = NULL;
  g_auto(GStrv) links = NULL;
  g_auto(GStrv) note_links = NULL;
  const char *uuids[] = { a1->uuid, b1->uuid, NULL };
  BaliseUploadDialog *composer;
  BaliseHistoryPage *page;
  HistoryWait wait;
  AdwActionRow *row;
  gint64 changeset_id, note_id;
  const char *url;

  g_assert_true (balise_test_server_start (server, 0, &error));
  g_assert_no_error (error);
  url = balise_test_server_get_url (server);
  g_settings_set_string (settings, "server-url", url);
  g_setenv ("BALISE_TOKEN", "coordinator-token", TRUE);

  g_assert_true (balise_store_review_edits (fixture->store, uuids, BALISE_REVIEW_APPROVE, "Claire", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (balise_store_add_note (fixture->store, note, &error));
  g_assert_no_error (error);
  g_assert_true (balise_store_set_note_status (fixture->store, note->uuid, BALISE_NOTE_STATUS_APPROVED, &error));
  g_assert_no_error (error);

  open_review (fixture);
  balise_review_window_show_page (fixture->review, "history");
  page = BALISE_HISTORY_PAGE (balise_review_window_get_page (fixture->review, "history"));
  g_assert_nonnull (page);
  wait = (HistoryWait) { page, "changeset", 0, NULL };
  wait_for (history_shows, &wait, "an empty history");

  /* Upload from the review window: the composer opens over it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->review), "review-window.upload", NULL));
  wait_for (has_composer, NULL, "the composer");
  composer = balise_ui_test_find_upload_dialog ();
  g_assert_cmpstr (balise_upload_dialog_get_changes_text (composer), ==, "2 bus stops added");
  gtk_editable_set_text (balise_upload_dialog_get_comment_field (composer), "Two stops and a pothole");
  balise_ui_test_press_upload (composer);
  /* The review window's Upload waits for the sync, whose result it says. */
  g_assert_false (gtk_widget_is_sensitive (find_action_button (GTK_WIDGET (fixture->review),
                                                               "review-window.upload")));
  wait_for (not_syncing, fixture->window, "the sync to finish");
  g_assert_true (gtk_widget_is_sensitive (find_action_button (GTK_WIDGET (fixture->review),
                                                              "review-window.upload")));
  g_assert_cmpstr (balise_review_page_get_message (fixture->page), ==, "2 bus stops added, 1 note sent");

  changeset_id = balise_test_server_query_int (server, "SELECT max(id) FROM changeset");
  note_id = balise_test_server_query_int (server, "SELECT max(id) FROM note");
  g_assert_cmpint (changeset_id, >, 0);
  g_assert_cmpint (note_id, >, 0);
  g_assert_cmpint (balise_test_server_query_int (server, "SELECT count(*) FROM note"), ==, 1);
  changeset_link = g_strdup_printf ("%schangeset/%" G_GINT64_FORMAT, url, changeset_id);
  note_link = g_strdup_printf ("%snote/%" G_GINT64_FORMAT, url, note_id);
  changeset_text = g_strdup_printf ("Changeset %" G_GINT64_FORMAT " ·", changeset_id);
  note_text = g_strdup_printf ("Note %" G_GINT64_FORMAT " · Open · 1 comment", note_id);

  /* Refreshed after the sync, without being asked. */
  wait = (HistoryWait) { page, "changeset", 1, changeset_text };
  wait_for (history_shows, &wait, "the changeset in the history");
  links = balise_history_page_get_links (page, "changeset");
  g_assert_cmpstr (links[0], ==, changeset_link);
  row = balise_history_page_get_row (page, "changeset", 0);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Two stops and a pothole");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (row), "2 bus stops added"));
  g_assert_true (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (row)));

  wait = (HistoryWait) { page, "note", 1, note_text };
  wait_for (history_shows, &wait, "the note in the history");
  note_links = balise_history_page_get_links (page, "note");
  g_assert_cmpstr (note_links[0], ==, note_link);
  save_screenshots (GTK_WIDGET (fixture->review), "history");

  /* Someone fixes the pothole and closes the note on the server. */
  close_url = g_strdup_printf ("%sapi/0.6/notes/%" G_GINT64_FORMAT "/close?text=Filled", url, note_id);
  close = soup_message_new ("POST", close_url);
  soup_message_headers_replace (soup_message_get_request_headers (close), "Authorization",
                                "Bearer road-service-token");
  closed = soup_session_send_and_read (session, close, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (close), ==, 200);

  /* Nothing to send: no composer, the sync refreshes the notes. */
  g_assert_null (balise_ui_test_open_composer (fixture->window));
  wait_for (not_syncing, fixture->window, "the sync to finish");
  g_clear_pointer (&note_text, g_free);
  note_text = g_strdup_printf ("Note %" G_GINT64_FORMAT " · Closed · 2 comments", note_id);
  wait = (HistoryWait) { page, "note", 1, note_text };
  wait_for (history_shows, &wait, "the note to show closed");
  wait = (HistoryWait) { page, "changeset", 1, changeset_text };
  g_assert_true (history_shows (&wait));

  /* Switched to the development server, the history lists its (no)
   * changesets; the note still opens on the server it was sent to. */
  g_settings_set_string (settings, "server-url", "dev");
  wait = (HistoryWait) { page, "changeset", 0, NULL };
  wait_for (history_shows, &wait, "the history of the development server");
  g_clear_pointer (&note_links, g_strfreev);
  note_links = balise_history_page_get_links (page, "note");
  g_assert_cmpstr (note_links[0], ==, note_link);
  row = balise_history_page_get_row (page, "note", 0);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (row)), ==, note_link);

  /* A note sent before Balise recorded servers opens on the current one,
   * and its row says why. */
  {
    g_autofree char *dev_link = g_strdup_printf ("https://master.apis.dev.openstreetmap.org/note/%" G_GINT64_FORMAT,
                                                 note_id);
    sqlite3 *db = NULL;

    g_assert_cmpint (sqlite3_open (balise_store_get_path (fixture->store), &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "UPDATE note SET server = NULL", NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
    balise_history_page_reload (page);
    wait = (HistoryWait) { page, "note", 1, NULL };
    wait_for (history_shows, &wait, "the history to read the note again");
    g_clear_pointer (&note_links, g_strfreev);
    note_links = balise_history_page_get_links (page, "note");
    g_assert_cmpstr (note_links[0], ==, dev_link);
    row = balise_history_page_get_row (page, "note", 0);
    g_assert_true (g_str_has_prefix (gtk_widget_get_tooltip_text (GTK_WIDGET (row)),
                                     "Sent before Balise recorded each note’s server"));
    g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (GTK_WIDGET (row)), dev_link));
  }

  g_unsetenv ("BALISE_TOKEN");
  g_settings_reset (settings, "server-url");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) icon_path = NULL;
  GtkIconTheme *icon_theme;
  int ret;

  real_mime_dirs = g_strdupv ((char **)g_content_type_get_mime_dirs ());
  gtk_init ();
  icon_theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());
  icon_path = gtk_icon_theme_get_search_path (icon_theme);
  gtk_icon_theme_set_search_path (icon_theme, (const char * const *)icon_path);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  app = balise_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add ("/ui/review/approve-reject-sync", Fixture, NULL,
              fixture_set_up, test_approve_reject_sync, fixture_tear_down);
  g_test_add ("/ui/review/bulk-has-issues", Fixture, NULL,
              fixture_set_up, test_bulk_has_issues, fixture_tear_down);
  g_test_add ("/ui/review/tag-diff", Fixture, NULL,
              fixture_set_up, test_tag_diff, fixture_tear_down);
  g_test_add ("/ui/review/dashboard", Fixture, NULL,
              fixture_set_up, test_dashboard, fixture_tear_down);
  g_test_add ("/ui/review/edit-tags", Fixture, NULL,
              fixture_set_up, test_edit_tags, fixture_tear_down);
  g_test_add ("/ui/review/history", Fixture, NULL,
              fixture_set_up, test_history, fixture_tear_down);
  g_test_add ("/ui/review/server-and-conflict", Fixture, NULL,
              fixture_set_up, test_server_and_conflict, fixture_tear_down);

  ret = g_test_run ();

  g_clear_object (&app);
  g_clear_pointer (&real_mime_dirs, g_strfreev);

  return ret;
}
