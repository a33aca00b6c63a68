/* test-cli-journal.c: balise-cli review and package, from the outside
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#undef G_DISABLE_ASSERT

#include <signal.h>

#include "balise-core.h"
#include "balise-test-utils.h"

/* Runs balise-cli on @db with @args; returns its exit status and output. */
static int
run_cli (const char  *db,
         char       **out,
         char       **err,
         const char  *first_arg,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;
  va_list args;

  g_ptr_array_add (argv, (char *) BALISE_CLI_PATH);
  g_ptr_array_add (argv, (char *) "--db");
  g_ptr_array_add (argv, (char *) db);
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "BALISE_TOKEN", "volunteer-token", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &stdout_text, &stderr_text, &error);
  g_assert_no_error (error);

  g_test_message ("balise-cli %s → %d\n%s%s", first_arg, g_subprocess_get_exit_status (process),
                  stdout_text, stderr_text);
  if (out != NULL)
    *out = g_steal_pointer (&stdout_text);
  if (err != NULL)
    *err = g_steal_pointer (&stderr_text);
  return g_subprocess_get_exit_status (process);
}

/* Records a bus stop; returns its uuid. */
static char *
add_stop (const char *db,
          const char *name,
          const char *contributor)
{
  g_autofree char *out = NULL;
  g_autofree char *tag = g_strconcat ("name=", name, NULL);

  g_assert_cmpint (run_cli (db, &out, NULL, "add", "bus-stop", "--lat", "43.7314", "--lon",
                            "7.4197", "--tag", tag, "--contributor", contributor, NULL), ==, 0);
  return g_strstrip (g_steal_pointer (&out));
}

static char *
start_server (GSubprocess **server)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  char *url;

  *server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                              OSM_TEST_SERVER_PATH, "--port", "0", NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (*server));
  url = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (url);
  return url;
}

static void
test_cli_review (void)
{
  g_autofree char *db = balise_test_tmp_path ("review.sqlite");
  g_autofree char *a = add_stop (db, "Casino", "Camille");
  g_autofree char *b = add_stop (db, "Moneghetti", "Dominique");
  g_autofree char *c = add_stop (db, "Saint-Roman", "Dominique");
  g_autofree char *a8 = g_strndup (a, 8);
  g_autofree char *b8 = g_strndup (b, 8);
  g_autofree char *c8 = g_strndup (c, 8);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GSubprocess) server = NULL;

  g_assert_cmpint (run_cli (db, &out, NULL, "review", "list", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Camille (1)"));
  g_assert_nonnull (strstr (out, "Dominique (2)"));
  g_assert_nonnull (strstr (out, "+name=Saint-Roman"));
  g_assert_nonnull (strstr (out, "3 edits to review"));
  g_assert_nonnull (strstr (out, "0 ready to upload"));
  g_assert_nonnull (strstr (out, "review before upload is on"));
  g_clear_pointer (&out, g_free);

  /* The ids as `queue` prints them: their first 8 characters. */
  g_assert_cmpint (run_cli (db, &out, NULL, "review", "approve", a8, c8, "--reviewer", "Morgane",
                            NULL), ==, 0);
  g_assert_nonnull (strstr (out, "approved"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run_cli (db, NULL, &err, "review", "reject", b8, NULL), ==, 2);
  g_assert_nonnull (strstr (err, "--reason"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (db, NULL, &err, "review", "approve", "zz", NULL), ==, 2);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (db, NULL, &err, "review", "approve", "ffffffff", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "No edit"));
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (db, NULL, NULL, "review", "issues", b8, "--reason", "Which side?",
                            "--reviewer", "Morgane", NULL), ==, 0);
  g_assert_cmpint (run_cli (db, &out, NULL, "review", "list", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "has_issues"));
  g_assert_nonnull (strstr (out, "Morgane: Which side?"));
  g_assert_nonnull (strstr (out, "2 ready to upload"));
  g_assert_nonnull (strstr (out, "Comment: 2 bus stops added"));
  g_assert_nonnull (strstr (out, "Credits: Camille, Dominique"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run_cli (db, NULL, NULL, "review", "reject", b8, "--reason", "Duplicate",
                            "--reviewer", "Morgane", NULL), ==, 0);

  /* A fault is reviewed like an edit. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(BaliseStore) store = balise_store_open (db, &error);
    g_autoptr(BaliseNote) note = balise_note_new (43.7314, 7.4197, "pothole",
                                                  "Pothole in the bus lane");
    g_autoptr(BaliseNote) stored = NULL;
    g_autofree char *n8 = NULL;

    g_assert_no_error (error);
    note->contributor = g_strdup ("Camille");
    g_assert_true (balise_store_add_note (store, note, &error));
    g_assert_no_error (error);
    n8 = g_strndup (note->uuid, 8);

    g_assert_cmpint (run_cli (db, &out, NULL, "review", "list", NULL), ==, 0);
    g_assert_nonnull (strstr (out, "Notes (1)"));
    g_assert_nonnull (strstr (out, "pothole: Pothole in the bus lane"));
    g_clear_pointer (&out, g_free);
    g_assert_cmpint (run_cli (db, &out, NULL, "review", "issues", n8, "--reason",
                              "Which lane?", "--reviewer", "Morgane", NULL), ==, 0);
    g_assert_nonnull (strstr (out, "has_issues"));
    g_clear_pointer (&out, g_free);
    stored = balise_store_get_note (store, note->uuid, &error);
    g_assert_no_error (error);
    g_assert_cmpint (stored->status, ==, BALISE_NOTE_STATUS_HAS_ISSUES);
    g_assert_cmpstr (stored->reviewer, ==, "Morgane");
    g_assert_cmpstr (stored->review_comment, ==, "Which lane?");
    g_assert_cmpint (run_cli (db, NULL, NULL, "review", "approve", n8, NULL), ==, 0);
  }

  /* Only the approved two reach the server. */
  url = start_server (&server);
  g_assert_cmpint (run_cli (db, NULL, NULL, "sync", "--server", url, NULL), ==, 0);
  g_assert_cmpint (run_cli (db, &out, NULL, "queue", "--all", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "rejected"));
  {
    guint uploaded = 0;

    for (const char *p = strstr (out, "uploaded"); p != NULL; p = strstr (p + 1, "uploaded"))
      uploaded++;
    g_assert_cmpuint (uploaded, ==, 2);
  }
  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, NULL);
}

static void
test_cli_package (void)
{
  g_autofree char *field = balise_test_tmp_path ("package-field.sqlite");
  g_autofree char *office = balise_test_tmp_path ("package-office.sqlite");
  g_autofree char *package = balise_test_tmp_path ("camille.balisepkg");
  g_autofree char *a = add_stop (field, "Casino", "Camille");
  g_autofree char *b = add_stop (field, "Moneghetti", "Camille");
  g_autofree char *c = add_stop (field, "Saint-Roman", "Dominique");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_cli (field, NULL, &err, "package", "export", package, NULL), ==, 2);
  g_assert_nonnull (strstr (err, "--contributor"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (field, NULL, &err, "package", "export", "--contributor", "Camille",
                            "camille.zip", NULL), ==, 2);
  g_assert_nonnull (strstr (err, ".balisepkg"));
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (field, &out, NULL, "package", "export", "--contributor", "Camille",
                            package, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Wrote 2 edits, 0 notes and 0 photos of Camille"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run_cli (office, &out, NULL, "package", "import", package, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Imported 2 edits"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (office, &out, NULL, "package", "import", package, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Imported 0 edits, 0 notes and 0 photos; 2 edits"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run_cli (office, &out, NULL, "queue", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "name=Casino"));
  g_assert_nonnull (strstr (out, "name=Moneghetti"));
  g_assert_null (strstr (out, "name=Saint-Roman"));
  g_assert_nonnull (strstr (out, "2 edits waiting"));
  g_clear_pointer (&out, g_free);

  /* The dashboard counts what was imported. */
  g_assert_cmpint (run_cli (office, &out, NULL, "dashboard", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "section,key,count\r\n"));
  g_assert_nonnull (strstr (out, "contributor,Camille,2\r\n"));
  g_assert_nonnull (strstr (out, "status,pending,2\r\n"));
  g_assert_nonnull (strstr (out, "stops,unknown,2\r\n"));
  g_clear_pointer (&out, g_free);

  /* Not a package: a clear error, exit 1. */
  g_assert_cmpint (run_cli (office, NULL, &err, "package", "import", field, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "not a Balise field package"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/review", test_cli_review);
  g_test_add_func ("/cli/package", test_cli_package);

  return g_test_run ();
}
