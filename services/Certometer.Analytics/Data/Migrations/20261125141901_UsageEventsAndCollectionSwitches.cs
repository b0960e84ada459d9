using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Certometer.Analytics.Data.Migrations
{
    /// <inheritdoc />
    public partial class UsageEventsAndCollectionSwitches : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "collection_switches",
                columns: table => new
                {
                    pseudonym = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    collection_allowed = table.Column<bool>(type: "boolean", nullable: true),
                    choice_made_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    restricted = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_collection_switches", x => x.pseudonym);
                });

            migrationBuilder.CreateTable(
                name: "usage_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    pseudonym = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    anonymous_id = table.Column<Guid>(type: "uuid", nullable: true),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    page = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    area = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    device_type = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    browser = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: true),
                    language = table.Column<string>(type: "character varying(35)", maxLength: 35, nullable: true),
                    time_zone = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    screen_width = table.Column<int>(type: "integer", nullable: true),
                    screen_height = table.Column<int>(type: "integer", nullable: true),
                    referrer = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    exit_page = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    location = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_usage_events", x => x.id);
                    table.CheckConstraint("ck_usage_events_one_visitor_key", "(pseudonym IS NULL) <> (anonymous_id IS NULL)");
                });

            migrationBuilder.CreateIndex(
                name: "ix_usage_events_occurred_at",
                table: "usage_events",
                column: "occurred_at");

            migrationBuilder.CreateIndex(
                name: "ix_usage_events_pseudonym",
                table: "usage_events",
                column: "pseudonym",
                filter: "pseudonym IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "collection_switches");

            migrationBuilder.DropTable(
                name: "usage_events");
        }
    }
}
