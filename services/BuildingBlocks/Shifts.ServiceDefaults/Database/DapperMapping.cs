using System.Data;
using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace Shifts.ServiceDefaults.Database;

/// <summary>
/// How Dapper maps every service's rows, set once when the service database is added (AddServiceDatabase): snake_case columns match
/// PascalCase members (<c>created_at</c> → <c>CreatedAt</c>), and timestamptz, which Npgsql reads
/// as a UTC DateTime, becomes the DateTimeOffset the records hold. A TimeSpan parameter is an
/// interval (Dapper's own default would send it as a time of day).
/// Dapper fills a record through its constructor only when every column's type is exactly the
/// parameter's, which array columns (read as System.Array) and timestamptz never are; so each
/// record read from rows has a private parameterless constructor, and Dapper sets its properties.
/// </summary>
public static class DapperMapping
{
    private static int _registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1)
        {
            return;
        }

        DefaultTypeMap.MatchNamesWithUnderscores = true;
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset));
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset?));
        SqlMapper.RemoveTypeMap(typeof(TimeSpan));
        SqlMapper.RemoveTypeMap(typeof(TimeSpan?));
        SqlMapper.AddTypeHandler(new InstantHandler());
        SqlMapper.AddTypeHandler(new DurationHandler());
    }

    private sealed class InstantHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override DateTimeOffset Parse(object value) => value switch
        {
            DateTimeOffset instant => instant,
            DateTime utc => new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)),
            _ => throw new DataException($"A timestamptz column was read as {value.GetType()}."),
        };

        // Npgsql writes timestamptz from UTC values only.
        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value) => parameter.Value = value.ToUniversalTime();
    }

    private sealed class DurationHandler : SqlMapper.TypeHandler<TimeSpan>
    {
        public override TimeSpan Parse(object value) => (TimeSpan)value;

        public override void SetValue(IDbDataParameter parameter, TimeSpan value)
        {
            ((NpgsqlParameter)parameter).NpgsqlDbType = NpgsqlDbType.Interval;
            parameter.Value = value;
        }
    }
}
