using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Certometer.Notifications.Data.Migrations
{
    /// <inheritdoc />
    public partial class PolicyNoticesAndMarketingObjections : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "MarketingObjectedAt",
                table: "subject_settings",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "policy_notice_runs",
                columns: table => new
                {
                    version = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    effective_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    summary_of_changes = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    published_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_subject_id = table.Column<Guid>(type: "uuid", nullable: true),
                    notices_queued = table.Column<int>(type: "integer", nullable: false),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_policy_notice_runs", x => x.version);
                });

            migrationBuilder.CreateIndex(
                name: "ix_recipients_created_at_subject_id",
                table: "recipients",
                columns: new[] { "CreatedAt", "SubjectId" });

            migrationBuilder.CreateIndex(
                name: "ix_policy_notice_runs_unfinished",
                table: "policy_notice_runs",
                column: "published_at",
                filter: "completed_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "policy_notice_runs");

            migrationBuilder.DropIndex(
                name: "ix_recipients_created_at_subject_id",
                table: "recipients");

            migrationBuilder.DropColumn(
                name: "MarketingObjectedAt",
                table: "subject_settings");
        }
    }
}
