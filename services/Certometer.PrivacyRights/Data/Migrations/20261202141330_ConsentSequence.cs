using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Certometer.PrivacyRights.Data.Migrations
{
    /// <inheritdoc />
    public partial class ConsentSequence : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_consent_ledger_subject",
                table: "consent_ledger");

            migrationBuilder.AddColumn<long>(
                name: "sequence",
                table: "consent_ledger",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<bool>(
                name: "took_effect",
                table: "consent_ledger",
                type: "boolean",
                nullable: false,
                defaultValue: true);

            // Entries recorded before the sequence existed are numbered in the order the old rule read them (time, then id).
            migrationBuilder.Sql(
                """
                UPDATE consent_ledger c SET sequence = numbered.n
                FROM (SELECT id, row_number() OVER (PARTITION BY subject_pseudonym ORDER BY recorded_at, id) AS n FROM consent_ledger) numbered
                WHERE c.id = numbered.id
                """);

            migrationBuilder.CreateIndex(
                name: "ix_consent_ledger_subject",
                table: "consent_ledger",
                columns: new[] { "subject_pseudonym", "sequence" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_consent_ledger_subject",
                table: "consent_ledger");

            migrationBuilder.DropColumn(
                name: "sequence",
                table: "consent_ledger");

            migrationBuilder.DropColumn(
                name: "took_effect",
                table: "consent_ledger");

            migrationBuilder.CreateIndex(
                name: "ix_consent_ledger_subject",
                table: "consent_ledger",
                columns: new[] { "subject_pseudonym", "recorded_at" });
        }
    }
}
