using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Certometer.PrivacyRights.Data.Migrations
{
    /// <inheritdoc />
    public partial class PolicyVersions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "policy_versions",
                columns: table => new
                {
                    version = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    effective_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    summary_of_changes = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    url = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    published_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_policy_versions", x => x.version);
                });

            migrationBuilder.CreateTable(
                name: "policy_acceptances",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    subject_pseudonym = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    version = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    accepted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_policy_acceptances", x => x.id);
                    table.ForeignKey(
                        name: "FK_policy_acceptances_policy_versions_version",
                        column: x => x.version,
                        principalTable: "policy_versions",
                        principalColumn: "version",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_policy_acceptances_version",
                table: "policy_acceptances",
                column: "version");

            migrationBuilder.CreateIndex(
                name: "ux_policy_acceptances_subject_version",
                table: "policy_acceptances",
                columns: new[] { "subject_pseudonym", "version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_policy_versions_effective_at",
                table: "policy_versions",
                column: "effective_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "policy_acceptances");

            migrationBuilder.DropTable(
                name: "policy_versions");
        }
    }
}
