using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Certometer.PrivacyRights.Data.Migrations
{
    /// <inheritdoc />
    public partial class SubjectKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "subject_keys",
                columns: table => new
                {
                    pseudonym = table.Column<byte[]>(type: "bytea", nullable: false),
                    wrapped_key = table.Column<byte[]>(type: "bytea", nullable: true),
                    master_key_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    destroyed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_subject_keys", x => x.pseudonym);
                });

            migrationBuilder.CreateIndex(
                name: "ix_subject_keys_master_key_id",
                table: "subject_keys",
                column: "master_key_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "subject_keys");
        }
    }
}
