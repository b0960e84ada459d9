using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Certometer.Identity.Data.Migrations
{
    /// <inheritdoc />
    public partial class SignUpConfirmation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "sign_up_analytics_consent",
                table: "accounts",
                type: "boolean",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "sign_up_marketing_consent",
                table: "accounts",
                type: "boolean",
                nullable: true);

            // Accounts made before sign-ups needed a confirmed address were announced to every service already; they
            // keep signing in rather than being locked out by the new rule.
            migrationBuilder.Sql("UPDATE accounts SET email_confirmed = true;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "sign_up_analytics_consent",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "sign_up_marketing_consent",
                table: "accounts");
        }
    }
}
