using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Certometer.PrivacyRights.Data.Migrations
{
    /// <inheritdoc />
    public partial class RequestWorkflow : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ux_privacy_requests_one_open_per_kind",
                table: "privacy_requests");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "account_lock_asked_at",
                table: "privacy_requests",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "account_lock_attempts",
                table: "privacy_requests",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "account_locked_at",
                table: "privacy_requests",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "closed_at",
                table: "privacy_requests",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "completed_at",
                table: "privacy_requests",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "escalated_at",
                table: "privacy_requests",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "preferred_language",
                table: "privacy_requests",
                type: "character varying(35)",
                maxLength: 35,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "stage",
                table: "privacy_requests",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "NotStarted");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "started_at",
                table: "privacy_requests",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "work_starts_at",
                table: "privacy_requests",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "access_packages",
                columns: table => new
                {
                    request_id = table.Column<Guid>(type: "uuid", nullable: false),
                    subject_id = table.Column<Guid>(type: "uuid", nullable: false),
                    content = table.Column<string>(type: "text", nullable: false),
                    summary = table.Column<string>(type: "text", nullable: false),
                    compiled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_access_packages", x => x.request_id);
                    table.ForeignKey(
                        name: "FK_access_packages_privacy_requests_request_id",
                        column: x => x.request_id,
                        principalTable: "privacy_requests",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "export_parts",
                columns: table => new
                {
                    request_id = table.Column<Guid>(type: "uuid", nullable: false),
                    service = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    content = table.Column<string>(type: "jsonb", nullable: false),
                    record_count = table.Column<int>(type: "integer", nullable: false),
                    exported_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_export_parts", x => new { x.request_id, x.service });
                    table.ForeignKey(
                        name: "FK_export_parts_privacy_requests_request_id",
                        column: x => x.request_id,
                        principalTable: "privacy_requests",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "holder_steps",
                columns: table => new
                {
                    request_id = table.Column<Guid>(type: "uuid", nullable: false),
                    service = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    first_asked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_asked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    escalated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    answered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    answer = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_holder_steps", x => new { x.request_id, x.service });
                    table.ForeignKey(
                        name: "FK_holder_steps_privacy_requests_request_id",
                        column: x => x.request_id,
                        principalTable: "privacy_requests",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_privacy_requests_stage_status",
                table: "privacy_requests",
                columns: new[] { "stage", "status" });

            migrationBuilder.CreateIndex(
                name: "ux_privacy_requests_one_open_per_kind",
                table: "privacy_requests",
                columns: new[] { "subject_id", "kind" },
                unique: true,
                filter: "status IN ('Received', 'Approved', 'InProgress')");

            migrationBuilder.CreateIndex(
                name: "ix_access_packages_expires_at",
                table: "access_packages",
                column: "expires_at");

            migrationBuilder.CreateIndex(
                name: "ix_access_packages_subject_id",
                table: "access_packages",
                column: "subject_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "access_packages");

            migrationBuilder.DropTable(
                name: "export_parts");

            migrationBuilder.DropTable(
                name: "holder_steps");

            migrationBuilder.DropIndex(
                name: "ix_privacy_requests_stage_status",
                table: "privacy_requests");

            migrationBuilder.DropIndex(
                name: "ux_privacy_requests_one_open_per_kind",
                table: "privacy_requests");

            migrationBuilder.DropColumn(
                name: "account_lock_asked_at",
                table: "privacy_requests");

            migrationBuilder.DropColumn(
                name: "account_lock_attempts",
                table: "privacy_requests");

            migrationBuilder.DropColumn(
                name: "account_locked_at",
                table: "privacy_requests");

            migrationBuilder.DropColumn(
                name: "closed_at",
                table: "privacy_requests");

            migrationBuilder.DropColumn(
                name: "completed_at",
                table: "privacy_requests");

            migrationBuilder.DropColumn(
                name: "escalated_at",
                table: "privacy_requests");

            migrationBuilder.DropColumn(
                name: "preferred_language",
                table: "privacy_requests");

            migrationBuilder.DropColumn(
                name: "stage",
                table: "privacy_requests");

            migrationBuilder.DropColumn(
                name: "started_at",
                table: "privacy_requests");

            migrationBuilder.DropColumn(
                name: "work_starts_at",
                table: "privacy_requests");

            migrationBuilder.CreateIndex(
                name: "ux_privacy_requests_one_open_per_kind",
                table: "privacy_requests",
                columns: new[] { "subject_id", "kind" },
                unique: true,
                filter: "status IN ('Received', 'Approved')");
        }
    }
}
