using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Certometer.Billing.Data.Migrations
{
    /// <inheritdoc />
    public partial class PendingChargesKeptOnErasure : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "BuyerErasedAt",
                table: "orders",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "BuyerErasedAt",
                table: "orders");
        }
    }
}
